import { existsSync } from "node:fs";
import { join } from "node:path";
import picomatch from "picomatch";
import { autonomyModeFor, refreshAutonomy } from "../autonomy/refresh.js";
import { scanFromContext } from "../brain/index.js";
import { sectionOf } from "../brain/parse.js";
import { BudgetStop } from "../llm/budget.js";
import { type LlmRun, type LlmRunOptions, LlmUnavailableError } from "../llm/client.js";
import { apiKeyFor, assertLlmConfigured, createLlmRun } from "../llm/setup.js";
import { writeAtomic } from "../runtime/atomic.js";
import type { Context } from "../runtime/context.js";
import type { RunHandle } from "../runtime/runner.js";
import { daysBefore } from "../search/reads.js";
import { pruneRetrievals } from "../search/record.js";
import { applyChunk, checkpointFile, type MineRun } from "./apply-chunk.js";
import { extractOps } from "./extract.js";
import { locateRepo } from "./git-output.js";
import { recordMemoryReads } from "./memory-reads.js";
import { type FactIndex, indexFacts, nearestFacts } from "./nearest.js";
import { recoverPending } from "./pending.js";
import { type FileWork, planMine, type SourceStats } from "./plan.js";
import { buildMessages, outline } from "./prompt.js";
import { type MineSummary, renderReport } from "./report.js";
import { selectSources } from "./sources.js";
import type { MineSource } from "./types.js";

export interface MineOptions {
  agent?: string;
  since?: string;
  mode?: "review" | "apply";
  /** `kb mine --dry-run` prints the plan (`minePlan`) and never gets here. */
  dryRun?: boolean;
  onProgress?: (done: number, total: number) => void;
  /** Test hooks for the LLM client (backoff sleep, clock). */
  llm?: Partial<LlmRunOptions>;
  /** Called after each chunk is checkpointed (fault tests stop the process here). */
  afterChunk?: (n: number) => void;
}

/** What the model is shown besides the log: the brain's outline and the facts nearest each chunk. */
interface Prompting {
  llm: LlmRun;
  apiKeys: Map<MineSource, string>;
  index: FactIndex;
  tree: string;
}

/** The mine job's body: read → preprocess → extract → validate → apply → commit → checkpoint, chunk by chunk. */
export async function mine(
  ctx: Context,
  run: RunHandle,
  options: MineOptions,
): Promise<MineSummary & { report: string | null }> {
  const cfg = ctx.config;
  const sources = selectSources(cfg, options.agent);
  assertLlmConfigured(cfg);
  const apiKeys = new Map(sources.map((s) => [s, apiKeyFor(cfg, s)]));
  const repo = await locateRepo(cfg.brain);
  for (const line of await recoverPending(ctx.db(), repo, cfg.host, run.log)) run.log.warn(line);
  // A revert found since the last run demotes its folder before anything is mined into it.
  await refreshAutonomy(ctx, run.log);
  const { work, sources: sourceStats } = planMine(ctx.db(), {
    sources,
    baseDir: cfg.baseDir,
    chunkTokens: cfg.mine.chunkTokens,
    today: ctx.clock.today(),
    since: options.since,
  });
  logWhatWasRead(run, sourceStats, work);

  const scan = scanFromContext(ctx);
  if (cfg.search.record) {
    const reads = recordMemoryReads(ctx, work, scan.docs);
    if (reads > 0) run.log.info("kept the brain reads of agents' memory tools", { calls: reads });
  }
  const pruned = pruneRetrievals(ctx.db(), cfg.brain, daysBefore(ctx.clock.now(), cfg.search.keepDays));
  if (pruned > 0) run.log.info("dropped searches older than search.keepDays", { searches: pruned });
  const prompting: Prompting = {
    llm: createLlmRun(cfg, run.log, options.llm),
    apiKeys,
    index: indexFacts(scan.docs, sectionOf),
    tree: outline(scan.docs, picomatch(cfg.mine.allowedPaths)),
  };
  const mode = options.mode ?? cfg.mine.mode;
  const m: MineRun = {
    ctx,
    run,
    repo,
    modeFor: autonomyModeFor(ctx, options.mode),
    summary: emptySummary(ctx, run.id, mode, sourceStats, work),
    review: null,
    done: 0,
    index: prompting.index,
  };
  let fatal: LlmUnavailableError | null = null;
  try {
    fatal = await mineFiles(m, work, prompting, options);
  } finally {
    await m.review?.close();
  }

  const { llm } = prompting;
  m.summary.usage = [...llm.ledger.byModel.values()];
  m.summary.llm = llm.ledger.totals();
  if (run.id > 0) llm.ledger.save(ctx.db(), run.id);
  const report = await writeReport(cfg.reports, m.summary.date, run.id, renderReport(m.summary));
  if (fatal) {
    run.log.error("mining stopped: no model answered", { report });
    throw fatal;
  }
  return { ...m.summary, report };
}

/**
 * Mine every file's chunks in order. Stops at the budget or on SIGTERM (the summary says why);
 * when no model answers, skips the rest of that file and returns the error once all are tried.
 */
async function mineFiles(
  m: MineRun,
  work: FileWork[],
  p: Prompting,
  options: MineOptions,
): Promise<LlmUnavailableError | null> {
  const { ctx, run, summary } = m;
  const total = work.reduce((a, w) => a + w.chunks.length, 0);
  let fatal: LlmUnavailableError | null = null;
  outer: for (const w of work) {
    if (w.chunks.length === 0) {
      checkpointFile(ctx, run, w);
      continue;
    }
    for (const [i, chunk] of w.chunks.entries()) {
      if (ctx.signal.aborted) {
        summary.stopReason = "interrupted";
        break outer;
      }
      const near = nearestFacts(p.index, chunk.text);
      let extraction: Awaited<ReturnType<typeof extractOps>>;
      try {
        extraction = await extractOps({
          llm: p.llm,
          apiKey: p.apiKeys.get(w.source)!,
          messages: buildMessages({ outline: p.tree, near, chunk, agent: w.source.agent }),
          near,
          entries: chunk.entries,
          allowedPaths: ctx.config.mine.allowedPaths,
          maxAttempts: ctx.config.llm.maxAttemptsPerChunk,
          // One signal per chunk: the SDK leaves a listener on the signal of every request.
          signal: AbortSignal.any([ctx.signal]),
        });
      } catch (error) {
        if (error instanceof BudgetStop) {
          summary.budgetStop = true;
          summary.stopReason = error.message;
          run.log.warn("budget reached; stopping at the last checkpoint", { limit: error.limit });
          break outer;
        }
        if (error instanceof LlmUnavailableError) {
          // This file's watermark stays before the chunk; later files may still be mined.
          summary.stopReason = error.message;
          fatal = error;
          run.log.warn("no model answered; skipping the rest of this file", { file: w.read.file });
          if (error.code === "LLM_ALL_OPEN") break outer;
          continue outer;
        }
        throw error;
      }
      await applyChunk(m, w, { ...chunk, near, last: i === w.chunks.length - 1 }, extraction);
      p.llm.ledger.save(ctx.db(), run.id);
      options.onProgress?.(m.done, total);
      options.afterChunk?.(m.done);
    }
  }
  return fatal;
}

function emptySummary(
  ctx: Context,
  runId: number,
  mode: string,
  sources: SourceStats[],
  work: FileWork[],
): MineSummary {
  return {
    runId,
    date: ctx.clock.today(),
    host: ctx.config.host,
    mode,
    entries: {
      read: work.reduce((a, w) => a + w.counts.read, 0),
      mined: 0,
      skipped: work.reduce((a, w) => a + w.counts.skipped, 0),
    },
    llm: { calls: 0, attempts: 0, promptTokens: 0, completionTokens: 0, costUsd: 0 },
    usage: [],
    ops: [],
    rejected: [],
    branch: null,
    commits: [],
    budgetStop: false,
    stopReason: null,
    sources,
  };
}

/** Log what an operator should know before any chunk is sent: notes, unreadable entries, redactions. */
function logWhatWasRead(run: RunHandle, sources: SourceStats[], work: FileWork[]): void {
  for (const stat of sources) {
    for (const note of stat.notes) run.log.warn(note, { agent: stat.agent });
    for (const p of stat.problems)
      run.log.warn("a log entry kb cannot read holds this file's watermark back", {
        agent: stat.agent,
        file: p.file,
        session: p.session,
        seq: p.seq,
        row: p.row,
        reason: p.reason,
      });
  }
  for (const w of work) {
    const n = Object.values(w.redactions).reduce((a, b) => a + b, 0);
    if (n > 0) run.log.info("secrets redacted before mining", { agent: w.source.agent, kinds: w.redactions });
  }
}

async function writeReport(dir: string, date: string, runId: number, text: string): Promise<string> {
  let path = join(dir, "mine", `mine-${date}.md`);
  if (existsSync(path)) path = join(dir, "mine", `mine-${date}-run${runId}.md`);
  await writeAtomic(path, text);
  return path;
}
