import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { run as runInit } from "../src/cli/commands/init.js";
import { run as runSync } from "../src/cli/commands/sync.js";
import { type Context, createContext } from "../src/runtime/context.js";
import { createLogger } from "../src/runtime/log.js";
import { kbBinPath } from "../src/sync/setup.js";
import { generateBrain } from "./generate.js";
import { median, round, time } from "./measure.js";
import type { BenchOptions, BenchRow } from "./types.js";

const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", ["-c", "user.name=bench", "-c", "user.email=bench@localhost", ...args], {
    cwd,
    stdio: ["ignore", "pipe", "pipe"],
    encoding: "utf8",
  });

/** The bare git round trip kb's sync wraps: add, commit (if anything), fetch, merge, push. */
function bareRoundTrip(clone: string): void {
  git(clone, "add", "-A");
  if (spawnSync("git", ["diff", "--cached", "--quiet"], { cwd: clone }).status !== 0)
    git(clone, "commit", "-qm", "bench");
  git(clone, "fetch", "-q", "origin");
  git(clone, "merge", "-q", "--no-edit", "origin/main");
  git(clone, "push", "-q", "origin", "HEAD:main");
}

function host(root: string, name: string, hub: string): Context {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const config = join(dir, "kb.config.yaml");
  writeFileSync(
    config,
    JSON.stringify({ host: name, brain: "./brain", state: "./state", reports: "./reports", sync: { hub } }),
  );
  return createContext(
    { config, quiet: true },
    { cwd: dir, log: createLogger({ level: "error", write: () => {} }) },
  );
}

/** Insert a fact at the top of each file (one host) or append one at the end (the other). */
function editFiles(brain: string, files: string[], tag: string, top: boolean): void {
  for (const f of files) {
    const path = join(brain, f);
    const text = readFileSync(path, "utf8");
    if (top) {
      const at = text.indexOf("\n- ");
      writeFileSync(
        path,
        at === -1
          ? `- ${tag} fact.\n${text}`
          : `${text.slice(0, at + 1)}- ${tag} fact.\n${text.slice(at + 1)}`,
      );
    } else appendFileSync(path, `- ${tag} fact.\n`);
  }
}

async function syncOk(ctx: Context): Promise<void> {
  const out = await runSync(ctx, { args: [], opts: {} });
  const result = (out.data as { result: string }).result;
  if (result !== "ok") throw new Error(`bench sync ended ${result}: ${out.text}`);
}

/**
 * `kb sync` on a 10k-file brain against a local hub: nothing changed, and 100 files changed on both
 * hosts (100 merge-driver runs), next to the bare git round trip doing the same in the same run.
 */
export async function bench(options: BenchOptions): Promise<BenchRow[]> {
  const files = options.quick ? 1000 : 10_000;
  const root = join(options.tmp, "sync");
  const hub = join(root, "hub.git");
  const a = host(root, "alpha", hub);
  await generateBrain(a.config.brain, { files, facts: files * 20, seed: options.seed });
  await runInit(a, { args: [], opts: {} });
  const b = host(root, "beta", hub);
  await runInit(b, { args: [], opts: {} });
  const [c, d] = [join(root, "bare-c"), join(root, "bare-d")];
  const bareHub = join(root, "bare-hub.git");
  git(root, "clone", "-q", "--bare", hub, bareHub);
  git(root, "clone", "-q", bareHub, c);
  git(root, "clone", "-q", bareHub, d);
  const label = `${files / 1000}k files`;
  const rows: BenchRow[] = [];

  const bareNoop = await median(5, () => bareRoundTrip(c));
  const kbNoop = await median(5, () => syncOk(a));
  const cliNoop = await median(3, () => {
    const r = spawnSync(
      process.execPath,
      [kbBinPath(), "--config", join(root, "alpha", "kb.config.yaml"), "sync", "-q"],
      {
        stdio: "ignore",
      },
    );
    if (r.status !== 0) throw new Error(`kb sync exited ${r.status}`);
  });
  const overhead = kbNoop - bareNoop;
  rows.push({
    area: "sync",
    name: `sync, nothing changed, ${label}: kb overhead over the bare git round trip`,
    value: round(overhead),
    unit: "s",
    baseline: { name: "bare git add+commit+fetch+merge+push", value: round(bareNoop), unit: "s" },
    budget: "≤ 0.3 s",
    pass: overhead <= 0.3,
    note: `kb sync in-process ${round(kbNoop)} s; as a cron process (node start-up included) ${round(cliNoop)} s`,
  });

  // 100 files changed on both sides: the second host's sync merges all 100 through the driver.
  const changed = (brain: string, from = 0) =>
    git(brain, "ls-files", "*.md")
      .split("\n")
      .filter((f) => f && !f.startsWith("."))
      .slice(from, from + 100);
  const kbTimes: number[] = [];
  const bareTimes: number[] = [];
  for (let rep = 0; rep < 3; rep++) {
    editFiles(c, changed(c), `bare-c-${rep}`, true);
    bareRoundTrip(c);
    editFiles(d, changed(d, 100), `bare-d-${rep}`, false);
    bareTimes.push((await time(() => bareRoundTrip(d))).seconds);
    git(c, "pull", "-q", "--no-edit", "origin", "main");
    git(d, "pull", "-q", "--no-edit", "origin", "main");
    await syncOk(a);
    await syncOk(b);
    editFiles(a.config.brain, changed(a.config.brain), `alpha-${rep}`, true);
    await syncOk(a);
    editFiles(b.config.brain, changed(b.config.brain), `beta-${rep}`, false);
    kbTimes.push((await time(() => syncOk(b))).seconds);
  }
  const mid = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  const [kbChanged, bareChanged] = [mid(kbTimes), mid(bareTimes)];
  rows.push({
    area: "sync",
    name: `sync, 100 files changed on both hosts, ${label}`,
    value: round(kbChanged),
    unit: "s",
    baseline: {
      name: "bare git round trip, 100 files changed on each host (different files: git's text merge would conflict on the same ones)",
      value: round(bareChanged),
      unit: "s",
    },
    note: "kb merges the 100 files per fact in one in-process batch (see batchMerged in --json)",
  });
  rows.push({
    area: "sync",
    name: "fact-aware merge time per changed file, batch (100 files)",
    value: round(((kbChanged - bareChanged) / 100) * 1000, 1),
    unit: "ms",
    note: "(kb − bare git) / 100 files for the case above",
  });
  // Fewer than 8 both-changed files go through git's driver: one `kb merge-driver` process each.
  const sample = join(a.config.brain, changed(a.config.brain)[0]!);
  const scratch = join(root, "driver");
  mkdirSync(scratch, { recursive: true });
  const original = readFileSync(sample, "utf8");
  writeFileSync(join(scratch, "o.md"), original);
  writeFileSync(join(scratch, "b.md"), `${original}- Theirs.\n`);
  const perProcess = await median(5, () => {
    writeFileSync(join(scratch, "a.md"), original.replace("\n- ", "\n- Ours.\n- "));
    const r = spawnSync(process.execPath, [kbBinPath(), "merge-driver", "o.md", "a.md", "b.md", "x.md"], {
      cwd: scratch,
    });
    if (r.status !== 0) throw new Error(`kb merge-driver exited ${r.status}`);
  });
  rows.push({
    area: "sync",
    name: "merge driver time per changed file, one process per file (< 8 files)",
    value: round(perProcess * 1000, 1),
    unit: "ms",
    note: "kb merge-driver as git starts it, Node start-up included",
  });
  a.close();
  b.close();
  return rows;
}
