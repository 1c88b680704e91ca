import { existsSync, mkdirSync, statSync } from "node:fs";
import { scanFromContext } from "../brain/index.js";
import { isWorldWritable } from "../brain/paths.js";
import { errorMessage } from "../errors.js";
import { exec } from "../runtime/exec.js";
import { schemaVersion } from "../state/db.js";
import { migrations } from "../state/migrations/index.js";
import { nativeModuleProblem } from "../state/native.js";
import type { CheckGroup, CheckResult } from "./types.js";

const MIN_NODE = 20;

export const runtimeChecks: CheckGroup = async () => {
  const major = Number(process.versions.node.split(".")[0]);
  const checks: CheckResult[] = [
    major >= MIN_NODE
      ? { id: "node", status: "ok", message: `node ${process.versions.node} (${process.execPath})` }
      : {
          id: "node",
          status: "error",
          message: `node ${process.versions.node} is too old`,
          hint: `install Node ${MIN_NODE} LTS or newer`,
        },
  ];
  const native = nativeModuleProblem();
  checks.push(
    native
      ? {
          id: "sqlite",
          status: "error",
          message: native.message,
          hint: "run the npm rebuild command above as the account kb runs as",
        }
      : { id: "sqlite", status: "ok", message: `better-sqlite3 loads under Node ${process.versions.node}` },
  );
  const git = await exec("git", ["--version"], { allowFailure: true }).catch(() => null);
  checks.push(
    git && git.exitCode === 0
      ? { id: "git", status: "ok", message: git.stdout.trim() }
      : {
          id: "git",
          status: "error",
          message: "git is not on PATH",
          hint: "install git; cron entries must set PATH explicitly",
        },
  );
  return checks;
};

export const brainChecks: CheckGroup = async ({ ctx }) => {
  if (!ctx) return [];
  const brain = ctx.config.brain;
  if (!existsSync(brain) || !statSync(brain).isDirectory()) {
    return [
      {
        id: "brain",
        status: "error",
        message: `brain folder ${brain} does not exist`,
        hint: "set brain: in the config, or run kb init",
      },
    ];
  }
  const checks: CheckResult[] = [{ id: "brain", status: "ok", message: `brain at ${brain}` }];
  checks.push(
    existsSync(`${brain}/.git`)
      ? { id: "brain-git", status: "ok", message: "brain is a git repository" }
      : {
          id: "brain-git",
          status: "warn",
          message: "brain is not a git repository; sync and review branches need one",
          hint: "run kb init",
        },
  );
  checks.push(permissionCheck("brain-permissions", brain));
  const cloud = /(Dropbox|iCloud|Mobile Documents|OneDrive|Google Drive|CloudStorage)/i.exec(brain);
  if (cloud) {
    checks.push({
      id: "brain-cloud-folder",
      status: "error",
      message: `brain is inside a cloud-synced folder (${cloud[1]}); two sync engines on one git repo corrupt it`,
      hint: "move the brain to a local folder",
    });
  }
  let scan: ReturnType<typeof scanFromContext>;
  try {
    scan = scanFromContext(ctx);
  } catch (error) {
    checks.push({
      id: "brain-files",
      status: "error",
      message: `could not scan the brain: ${errorMessage(error)}`,
      hint: "the scan keeps its index in the state folder; see state-write",
    });
    return checks;
  }
  const unreadable = scan.errors.filter((e) => e.code !== "WORLD_WRITABLE");
  checks.push(
    unreadable.length === 0
      ? {
          id: "brain-files",
          status: "ok",
          message: `${scan.stats.files} files, ${scan.stats.facts} facts, all readable`,
        }
      : {
          id: "brain-files",
          status: "warn",
          message: `${unreadable.length} file(s) kb cannot read: ${unreadable
            .slice(0, 3)
            .map((e) => `${e.path} (${e.code})`)
            .join(", ")}${unreadable.length > 3 ? ", …" : ""}`,
          hint: "kb scan lists them all with the reason",
        },
  );
  return checks;
};

export const stateChecks: CheckGroup = async ({ ctx, fix }) => {
  if (!ctx) return [];
  const checks: CheckResult[] = [];
  const { state, reports } = ctx.config;
  for (const [id, dir] of [
    ["state-folder", state],
    ["reports-folder", reports],
  ] as const) {
    if (!existsSync(dir)) {
      if (fix) {
        mkdirSync(dir, { recursive: true, mode: 0o750 });
        checks.push({ id, status: "ok", message: `created ${dir}`, fixed: true });
      } else {
        checks.push({
          id,
          status: id === "state-folder" ? "ok" : "warn",
          message: `${dir} does not exist yet (created on first run)`,
          hint: "kb doctor --fix creates it",
        });
      }
      continue;
    }
    checks.push(permissionCheck(`${id}-permissions`, dir));
  }
  let db: ReturnType<typeof ctx.db>;
  try {
    db = ctx.db();
  } catch (error) {
    checks.push({
      id: "state-db",
      status: "error",
      message: `cannot open the state database in ${state}: ${errorMessage(error)}`,
      hint: "kb must be able to write the state folder; see state-write",
    });
    return checks;
  }
  const version = schemaVersion(db);
  const latest = Math.max(...migrations.map((m) => m.version));
  checks.push(
    version === latest
      ? {
          id: "state-db",
          status: "ok",
          message: `state database schema v${version} (up to date) in ${state}`,
        }
      : {
          id: "state-db",
          status: "error",
          message: `state database schema v${version}, expected v${latest}`,
        },
  );
  return checks;
};

function permissionCheck(id: string, dir: string): CheckResult {
  if (!isWorldWritable(dir)) return { id, status: "ok", message: `${dir} is not world-writable` };
  return {
    id,
    status: "error",
    message: `${dir} is world-writable: any local user could change what agents read`,
    hint: `chown -R <kb-user> ${dir} && chmod -R o-w ${dir} (never chmod 777)`,
  };
}
