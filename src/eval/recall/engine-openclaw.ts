import { mkdirSync, readdirSync, realpathSync, writeFileSync } from "node:fs";
import { join, posix } from "node:path";
import picomatch from "picomatch";
import { BRAIN_PATTERN } from "../../agents/extra-paths.js";
import { KbError, UsageError } from "../../errors.js";
import { estimateTokens } from "../../mine/tokens.js";
import type { Context } from "../../runtime/context.js";
import { exec } from "../../runtime/exec.js";
import type { Retrieved } from "./score.js";

/** How to run OpenClaw and whose memory to search. */
export interface OpenClawOptions {
  /** The command that runs OpenClaw, split on spaces, e.g. `node /opt/openclaw/openclaw.mjs`. */
  command: string;
  /**
   * The HOME whose `.openclaw/openclaw.json` the agent uses. Without one, kb writes a throwaway
   * keyword-only config under the state folder that points `extraPaths` at the brain.
   */
  home?: string;
  /** Searches run at once (each one is a separate OpenClaw start-up). */
  concurrency?: number;
}

/** The OpenClaw config kb writes when no agent home is given: keyword search over the brain, no network. */
export function openClawConfig(brainRealPath: string, pattern = BRAIN_PATTERN): Record<string, unknown> {
  return {
    memory: { search: { provider: "none", extraPaths: [{ path: brainRealPath, pattern }] } },
  };
}

/**
 * `BRAIN_PATTERN`, unless the config's `ignore` leaves out a top-level file or folder (such as
 * a README for people): then the live top-level entries are named one by one, so OpenClaw reads
 * the same files as kb.
 */
export function livePattern(brain: string, ignore: string[]): string {
  if (ignore.length === 0) return BRAIN_PATTERN;
  const ignored = picomatch(ignore, { dot: false });
  const entries = readdirSync(brain, { withFileTypes: true }).filter(
    (e) => !e.name.startsWith(".") && !e.name.startsWith("_") && !/[{},*?[\]]/.test(e.name),
  );
  const files = entries.filter((e) => e.isFile() && e.name.toLowerCase().endsWith(".md"));
  const folders = entries.filter((e) => e.isDirectory());
  const keptFiles = files.filter((e) => !ignored(e.name)).map((e) => e.name);
  const keptFolders = folders
    .filter((e) => !ignored(e.name) && !ignored(`${e.name}/x.md`))
    .map((e) => e.name);
  if (keptFiles.length === files.length && keptFolders.length === folders.length) return BRAIN_PATTERN;
  const parts = [...keptFiles.sort(), ...keptFolders.sort().map((f) => `${f}/**/*.md`)];
  return parts.length === 1 ? parts[0]! : `{${parts.join(",")}}`;
}

/**
 * The `openclaw` engine: the real `openclaw memory index`, once, then `openclaw memory search
 * QUESTION --json --max-results k` per question, so the figure is what an OpenClaw agent sees.
 */
export async function retrieveWithOpenClaw(
  ctx: Context,
  questions: string[],
  k: number,
  options: OpenClawOptions,
): Promise<Retrieved[][]> {
  const [program, ...baseArgs] = options.command.trim().split(/\s+/);
  if (!program)
    throw new UsageError(
      "OPENCLAW_COMMAND",
      '--openclaw is empty; expected e.g. "node /opt/openclaw/openclaw.mjs"',
    );
  const brain = realpathSync(ctx.config.brain);
  let home = options.home;
  if (!home) {
    home = join(ctx.config.state, "openclaw-eval", "home");
    mkdirSync(join(home, ".openclaw"), { recursive: true });
    writeFileSync(
      join(home, ".openclaw", "openclaw.json"),
      `${JSON.stringify(openClawConfig(brain, livePattern(brain, ctx.config.ignore)), null, 2)}\n`,
    );
  }
  const env = openClawEnv(process.env, home);
  const run = async (args: string[]) => {
    const r = await exec(program, [...baseArgs, ...args], {
      env,
      cwd: home,
      timeoutMs: 180_000,
      allowFailure: true,
    });
    if (r.exitCode !== 0)
      throw new KbError(
        "OPENCLAW_FAILED",
        `${options.command} ${args.join(" ")} ${r.timedOut ? "timed out" : `exited with ${r.exitCode}`}: ${(r.stderr || r.stdout).trim().split("\n").slice(-5).join(" | ")}`,
      );
    return r.stdout;
  };
  ctx.log.info("openclaw: indexing memory", { home });
  await run(["memory", "index"]);
  const results: Retrieved[][] = new Array(questions.length);
  let next = 0;
  const worker = async () => {
    while (next < questions.length) {
      const i = next++;
      const out = await run([
        "memory",
        "search",
        "--query",
        questions[i]!,
        "--json",
        "--max-results",
        String(k),
      ]);
      results[i] = parseSearchOutput(out, brain, join(realpathSync(home), ".openclaw", "workspace")).slice(
        0,
        k,
      );
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  return results;
}

/**
 * The environment OpenClaw runs with: the agent's HOME, PATH, locale and OPENCLAW_* settings, and
 * nothing else, so the figure does not depend on the shell or test runner kb was started from
 * (OpenClaw turns its plugins, memory search included, off under a test runner's variables).
 */
export function openClawEnv(from: NodeJS.ProcessEnv, home: string): NodeJS.ProcessEnv {
  const keep = Object.entries(from).filter(
    ([key]) => key.startsWith("OPENCLAW_") || ["PATH", "LANG", "LC_ALL", "TZ", "TMPDIR"].includes(key),
  );
  return { ...Object.fromEntries(keep), HOME: home, OPENCLAW_NO_UPDATE_CHECK: "1", NO_COLOR: "1" };
}

interface OpenClawResult {
  path: string;
  startLine?: number;
  snippet?: string;
}

/** `openclaw memory search --json` output → hits with brain-relative paths (other memory files keep theirs). */
export function parseSearchOutput(stdout: string, brainRealPath: string, workspace: string): Retrieved[] {
  const start = stdout.indexOf("{");
  let parsed: { results?: OpenClawResult[] };
  try {
    parsed = JSON.parse(stdout.slice(start));
  } catch {
    throw new KbError(
      "OPENCLAW_OUTPUT",
      `openclaw memory search --json printed no JSON: ${stdout.slice(0, 200)}`,
    );
  }
  return (parsed.results ?? []).map((r) => {
    const file = brainRelative(r.path, brainRealPath, workspace);
    const text = r.snippet ?? "";
    return { text, file, line: r.startLine, tokens: estimateTokens(`${r.path}\n${text}`) };
  });
}

/**
 * OpenClaw reports extra paths relative to the agent's workspace (`~/.openclaw/workspace` unless
 * the agent sets another), e.g. "../../../srv/kb/brain/x.md". Paths outside the brain stay as given.
 */
export function brainRelative(path: string, brainRealPath: string, workspace: string): string {
  const root = `${brainRealPath.split("\\").join("/")}/`;
  const candidates = [
    posix.resolve(workspace.split("\\").join("/"), path),
    posix.normalize(path.replace(/^(\.\.\/)+/, "/")),
  ];
  const inside = candidates.find((c) => c.startsWith(root));
  return inside ? inside.slice(root.length) : path;
}
