import { readFileSync } from "node:fs";
import { fixMisspeltKeys } from "../config/fix.js";
import { ConfigInvalidError } from "../config/load.js";
import { locateConfig } from "../config/locate.js";
import { errorMessage } from "../errors.js";
import { writeAtomic } from "../runtime/atomic.js";
import { type Context, type ContextDeps, createContext, type GlobalOptions } from "../runtime/context.js";
import { accessChecks } from "./access-checks.js";
import { agentChecks } from "./agent-checks.js";
import { brainChecks, runtimeChecks, stateChecks } from "./core-checks.js";
import { mcpChecks } from "./mcp-checks.js";
import { mineChecks } from "./mine-checks.js";
import { searchChecks } from "./search-checks.js";
import { syncChecks } from "./sync-checks.js";
import type { CheckGroup, CheckResult } from "./types.js";

/** Every area's checks, in the order they print. */
export const checkGroups: CheckGroup[] = [
  runtimeChecks,
  accessChecks,
  brainChecks,
  stateChecks,
  syncChecks,
  mineChecks,
  agentChecks,
  mcpChecks,
  searchChecks,
];

export interface DoctorReport {
  ok: boolean;
  config: { path: string | null; source: string; why: string };
  envFile: { path: string; set: number } | null;
  checks: CheckResult[];
}

export async function runDoctor(
  options: GlobalOptions & { fix?: boolean },
  deps: ContextDeps,
): Promise<DoctorReport> {
  const env = deps.env ?? process.env;
  let location = locateConfig(options.config, env, deps.cwd ?? process.cwd());
  const checks: CheckResult[] = [];
  let ctx: Context | null = null;
  try {
    ctx = createContext(options, deps);
    location = ctx.config.location; // the demo npm start made, when ./kb.config.yaml is the sample
    checks.push({
      id: "config",
      status: "ok",
      message: location.path ? `${location.path} is valid` : "no config file; built-in defaults",
    });
  } catch (error) {
    checks.push(await configFailure(error, location.path, options.fix === true));
    if (checks.at(-1)?.fixed) {
      try {
        ctx = createContext(options, deps);
      } catch (again) {
        checks.push({ id: "config", status: "error", message: errorMessage(again) });
      }
    }
  }
  try {
    for (const group of checkGroups) {
      try {
        checks.push(...(await group({ ctx, location, fix: options.fix === true })));
      } catch (error) {
        checks.push({
          id: "doctor",
          status: "error",
          message: `a check failed to run: ${errorMessage(error)}`,
        });
      }
    }
    return {
      ok: checks.every((c) => c.status !== "error"),
      config: { path: location.path, source: location.source, why: location.why },
      envFile: ctx?.config.envFileLoaded ?? null,
      checks,
    };
  } finally {
    ctx?.close();
  }
}

async function configFailure(error: unknown, path: string | null, fix: boolean): Promise<CheckResult> {
  if (path && error instanceof ConfigInvalidError) {
    const { text, fixes } = fixMisspeltKeys(readFileSync(path, "utf8"), error.problems);
    const renames = fixes.map((f) => `"${f.from}" → "${f.to}" (line ${f.line})`).join(", ");
    if (!fix && fixes.length > 0) {
      return {
        id: "config",
        status: "error",
        message: errorMessage(error),
        hint:
          fixes.length === error.problems.length
            ? `kb doctor --fix renames ${renames}, touching only ${fixes.length === 1 ? "that line" : "those lines"}`
            : `fix the other problems by hand; then kb doctor --fix renames ${renames}`,
      };
    }
    if (fixes.length > 0 && fixes.length === error.problems.length) {
      await writeAtomic(path, text);
      return {
        id: "config",
        status: "ok",
        fixed: true,
        message: `renamed ${renames} in ${path}`,
      };
    }
  }
  return {
    id: "config",
    status: "error",
    message: errorMessage(error),
    hint: fix ? "no safe automatic repair; edit the file" : undefined,
  };
}
