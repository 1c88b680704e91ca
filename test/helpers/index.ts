import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach } from "vitest";
import { type Context, createContext, type GlobalOptions } from "../../src/runtime/context.js";
import { createLogger, type Logger } from "../../src/runtime/log.js";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const kbBin = join(repoRoot, "bin/kb.js");
/** The public data sets beside the checkout, or where `KB_SHARED_DATA` says (see bench/eval-stsb.ts). */
export const sharedData = resolve(process.env.KB_SHARED_DATA ?? resolve(repoRoot, "../shared/data"));

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});

/** A fresh temporary folder, removed after the test. */
export function tempDir(prefix = "kb-test-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Write a throwaway tree from `{ "path/file.md": "content" }` and return its root. */
export function makeTree(files: Record<string, string | Uint8Array>, root = tempDir()): string {
  for (const [path, content] of Object.entries(files)) {
    const abs = join(root, path);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
  return root;
}

/**
 * Whether to skip a test that needs something this host lacks; when so, says which test and why
 * on the console, so a skipped test is never silent (`.ci/run` installs everything, so CI skips nothing).
 */
export function skipping(test: string, why: string | null): boolean {
  if (why) console.warn(`kb tests: skipping "${test}": ${why}`);
  return why !== null;
}

/**
 * `.ci/run` runs the suite once per supported Node (`KB_CI_PASS=node20`, then `node24`) and runs
 * two groups of suites in one pass only, to keep the run short: the OpenClaw contract suites under
 * Node 24, the Node OpenClaw itself needs, and the long scenario suites (the sync soak, simulated
 * weeks, the benchmarks in small) under Node 20. In the other pass they skip through `skipping`,
 * saying where they run. Without `KB_CI_PASS` every suite runs.
 */
const ONE_PASS = { openclaw: "node24", long: "node20" } as const;

export function inOtherPass(group: keyof typeof ONE_PASS): string | null {
  const pass = process.env.KB_CI_PASS;
  if (!pass || pass === ONE_PASS[group]) return null;
  return `it runs in the ${ONE_PASS[group]} pass of .ci/run (this is KB_CI_PASS=${pass})`;
}

/** Register a cleanup to run after the current test (processes, namespaces, servers). */
export function onCleanup(fn: () => void): void {
  cleanups.push(fn);
}

export interface TestContext extends Context {
  logs: string[];
  root: string;
}

/**
 * A real context over a temporary folder: `kb.config.yaml` written from `config` (YAML text or an
 * object), a brain from `brain`, its own state folder, the clock pinned to `asOf`.
 */
export function makeContext(options: {
  brain?: Record<string, string | Uint8Array>;
  config?: string | Record<string, unknown>;
  asOf?: string;
  globals?: GlobalOptions;
  root?: string;
}): TestContext {
  const root = options.root ?? tempDir();
  makeTree(options.brain ?? {}, join(root, "brain"));
  const config =
    typeof options.config === "string"
      ? options.config
      : JSON.stringify({
          host: "test",
          brain: "./brain",
          state: "./state",
          reports: "./reports",
          ...options.config,
        });
  writeFileSync(join(root, "kb.config.yaml"), config);
  const logs: string[] = [];
  const log: Logger = createLogger({ json: true, level: "debug", write: (l) => logs.push(l) });
  const ctx = createContext(
    { config: join(root, "kb.config.yaml"), asOf: options.asOf ?? "2026-11-24", ...options.globals },
    { env: { ...process.env }, cwd: root, log },
  );
  cleanups.push(() => ctx.close());
  return Object.assign(ctx, { logs, root });
}

export interface KbResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run the built `kb` binary as cron would: no TTY, no stdin. */
export function runKb(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<KbResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [kbBin, ...args], {
      cwd: options.cwd ?? repoRoot,
      env: { ...process.env, NO_COLOR: "1", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/** `kb` in-process through `main`, as a person on this host would run it (env defaults to this process's). */
export async function kbInProcess(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) {
  const { main } = await import("../../src/cli/main.js");
  let stdout = "";
  let stderr = "";
  const code = await main(args, "9.9.9", {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd,
    env: { ...env },
  });
  return { code, stdout, stderr };
}
