import { existsSync, readFileSync } from "node:fs";
import { hostname } from "node:os";
import { dirname, isAbsolute, resolve } from "node:path";
import { parseEnv } from "node:util";
import { LineCounter, parseDocument } from "yaml";
import { ConfigError } from "../errors.js";
import { type ConfigProblem, formatProblem, problemsFromIssues } from "./issues.js";
import { type ConfigLocation, demoLocation, locateConfig } from "./locate.js";
import { configSchema, type ParsedConfig } from "./schema.js";

/** The validated configuration with every path made absolute. */
export interface Config extends ParsedConfig {
  host: string;
  /** The folder relative paths resolved against. */
  baseDir: string;
  location: ConfigLocation;
  /** The env file that was loaded, if any, and how many variables it set. */
  envFileLoaded: { path: string; set: number } | null;
}

export interface LoadOptions {
  configPath?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Command-line overrides of top-level paths (`--brain`, `--state`, `--reports`), relative to cwd. */
  overrides?: { brain?: string; state?: string; reports?: string };
}

export class ConfigInvalidError extends ConfigError {
  readonly problems: ConfigProblem[];
  constructor(problems: ConfigProblem[]) {
    const head =
      problems.length === 1 ? "invalid configuration" : `${problems.length} problems in the configuration`;
    super("CONFIG_INVALID", `${head}:\n${problems.map((p) => `  ${formatProblem(p)}`).join("\n")}`);
    this.problems = problems;
  }
}

/** Parse and validate config text. Pure: no file system, no environment. */
export function parseConfigText(text: string, file: string): ParsedConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigInvalidError(
      doc.errors.map((e) => ({
        file,
        line: lines.linePos(e.pos[0]).line,
        key: "",
        message: `is not valid YAML: ${e.message.split("\n")[0]}`,
      })),
    );
  }
  const raw = doc.toJS() ?? {};
  if (typeof raw !== "object" || Array.isArray(raw)) {
    throw new ConfigInvalidError([
      { file, line: 1, key: "", message: "must be a mapping of keys to values" },
    ]);
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success)
    throw new ConfigInvalidError(problemsFromIssues(parsed.error.issues, doc, lines, file, configSchema));
  return parsed.data;
}

/** Find, read, validate and normalise the configuration. */
export function loadConfig(options: LoadOptions = {}): Config {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  let location = locateConfig(options.configPath, env, cwd);
  let parsed: ParsedConfig;
  let baseDir = cwd;
  if (location.path) {
    if (!existsSync(location.path)) {
      throw new ConfigError(
        "CONFIG_MISSING",
        `config file ${location.path} does not exist (${location.why})`,
      );
    }
    parsed = parseConfigText(readFileSync(location.path, "utf8"), location.path);
    let path = location.path;
    const demo = parsed.sample ? demoLocation(location) : null;
    if (demo?.path) {
      location = demo;
      path = demo.path;
      parsed = parseConfigText(readFileSync(path, "utf8"), path);
    }
    baseDir = dirname(path);
  } else {
    parsed = configSchema.parse({});
  }
  const at = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  const fromCwd = (p: string) => resolve(cwd, p);
  const envFileLoaded = parsed.envFile ? loadEnvFile(at(parsed.envFile), env) : null;
  return {
    ...parsed,
    // A --brain of the operator's own choosing is not the sample, whatever the config says.
    sample: parsed.sample && !options.overrides?.brain,
    host: parsed.host ?? hostname().split(".")[0]!.toLowerCase(),
    brain: options.overrides?.brain ? fromCwd(options.overrides.brain) : at(parsed.brain),
    state: options.overrides?.state ? fromCwd(options.overrides.state) : at(parsed.state),
    reports: options.overrides?.reports ? fromCwd(options.overrides.reports) : at(parsed.reports),
    envFile: parsed.envFile ? at(parsed.envFile) : undefined,
    skills: parsed.skills.map(at),
    llm: { ...parsed.llm, apiKeyFile: parsed.llm.apiKeyFile ? at(parsed.llm.apiKeyFile) : undefined },
    mine: { ...parsed.mine, sources: parsed.mine.sources.map((s) => ({ ...s, path: at(s.path) })) },
    sync: {
      ...parsed.sync,
      hub: parsed.sync.hub && isLocalPath(parsed.sync.hub) ? at(parsed.sync.hub) : parsed.sync.hub,
      sshKey: parsed.sync.sshKey ? at(parsed.sync.sshKey) : undefined,
    },
    recall: {
      ...parsed.recall,
      set: parsed.recall.set ? at(parsed.recall.set) : undefined,
      openclaw: parsed.recall.openclaw?.home
        ? { ...parsed.recall.openclaw, home: at(parsed.recall.openclaw.home) }
        : parsed.recall.openclaw,
    },
    baseDir,
    location,
    envFileLoaded,
  };
}

/** Load `KEY=value` lines into env; variables already set win (the environment is explicit). */
function loadEnvFile(path: string, env: NodeJS.ProcessEnv): { path: string; set: number } {
  if (!existsSync(path)) throw new ConfigError("CONFIG_ENV_FILE", `envFile ${path} does not exist`);
  const values = parseEnv(readFileSync(path, "utf8"));
  let set = 0;
  for (const [key, value] of Object.entries(values)) {
    if (env[key] === undefined) {
      env[key] = value;
      set++;
    }
  }
  return { path, set };
}

function isLocalPath(hub: string): boolean {
  return !/^[a-z+]+:\/\//i.test(hub) && !/^[^/]+@[^:]+:/.test(hub);
}
