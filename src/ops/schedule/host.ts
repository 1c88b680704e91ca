import { accessSync, constants, existsSync, realpathSync } from "node:fs";
import { userInfo } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Config } from "../../config/load.js";
import { ConfigError } from "../../errors.js";

/**
 * Everything a scheduled kb run needs spelled out, because cron, systemd and launchd start
 * jobs with almost no environment and `sudo -u` keeps the caller's HOME: absolute paths to
 * node and kb, the user, HOME, PATH, the config file and the folder to run in.
 */
export interface HostEnv {
  host: string;
  /** The account the jobs run as (systemd `User=`, launchd `UserName`). */
  user: string;
  home: string;
  node: string;
  kb: string;
  /** Working directory: the config file's folder, which relative config paths resolve against. */
  cwd: string;
  path: string;
  config: string;
  /** The config's `envFile`, which kb loads itself before anything else; named for people. */
  envFile: string | null;
  /** Where cron and launchd append each job's output (systemd uses the journal). */
  logDir: string;
  timezone: string | null;
  /** Placeholder paths (`--example`), not this host's. */
  example?: true;
}

/** The standard system folders, after node's and git's own. */
const SYSTEM_PATH = ["/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin"];

/**
 * This host's environment for the running kb. The account comes from the password database
 * (`os.userInfo`), not from $HOME, which `sudo -u` leaves pointing at the caller's home.
 */
export function currentHost(config: Config, env: NodeJS.ProcessEnv): HostEnv {
  if (!config.location.path) {
    throw new ConfigError(
      "SCHEDULE_NO_CONFIG",
      `kb schedule writes the config file's path into every entry, and there is none: ${config.location.why}. Pass --config FILE or set KB_CONFIG`,
    );
  }
  const account = userInfo();
  // The exact node kb was installed with: better-sqlite3 is built for that node's ABI.
  const node = process.execPath;
  const git = findOnPath("git", env.PATH ?? "");
  return {
    host: config.host,
    user: account.username,
    home: account.homedir,
    node,
    kb: kbBin(),
    cwd: config.baseDir,
    path: unique([dirname(node), ...(git ? [dirname(git)] : []), ...SYSTEM_PATH]).join(":"),
    config: config.location.path,
    envFile: config.envFile ?? null,
    logDir: join(config.state, "logs"),
    timezone: config.schedule.timezone ?? null,
  };
}

/**
 * Placeholder paths for the committed `crontab.example` and `--example`: a service account `kb`
 * (home in /Users on a Mac) with kb checked out in /opt/kb, its config in /etc/kb and its state
 * in /var/lib/kb.
 */
export function exampleHost(config: Pick<Config, "schedule">, mac = false): HostEnv {
  return {
    host: "HOST",
    user: "kb",
    home: mac ? "/Users/kb" : "/home/kb",
    node: "/usr/bin/node",
    kb: "/opt/kb/bin/kb.js",
    cwd: "/etc/kb",
    path: SYSTEM_PATH.join(":"),
    config: "/etc/kb/kb.config.yaml",
    envFile: null,
    logDir: "/var/lib/kb/logs",
    timezone: config.schedule.timezone ?? null,
    example: true,
  };
}

/** The absolute path of this installation's `bin/kb.js` (found from this module, wherever it was built to). */
export function kbBin(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, "bin", "kb.js");
    if (existsSync(candidate) && existsSync(join(dir, "package.json"))) return realpathSync(candidate);
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`bin/kb.js not found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/** The packaged `kb.config.yaml` next to `bin/`: the configuration `crontab.example` is generated from. */
export function bundledConfigPath(): string {
  return join(dirname(dirname(kbBin())), "kb.config.yaml");
}

function findOnPath(command: string, path: string): string | null {
  for (const dir of path.split(delimiter)) {
    if (!dir.startsWith("/")) continue;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return join(dir, command);
    } catch {
      // not here; keep looking
    }
  }
  return null;
}

function unique(values: string[]): string[] {
  return values.filter((v, i) => values.indexOf(v) === i);
}
