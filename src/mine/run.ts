import { existsSync } from "node:fs";
import { join } from "node:path";
import picomatch from "picomatch";
import { scanFromContext } from "../brain/index.js";
import { sectionOf } from "../brain/parse.js";
import { BudgetStop } from "../llm/budget.js";
import { type LlmRunOptions, LlmUnavailableError } from "../llm/client.js";
import { recordMinedFacts } from "../provenance/records.js";
import { writeAtomic } from "../runtime/atomic.js";
import type { Context } from "../runtime/context.js";
import { ConfigError, UsageError } from "../runtime/errors.js";
import type { RunHandle } from "../runtime/runner.js";
import { type AppliedOp, applyOps } from "./apply.js";
import { extractOps } from "./extract.js";
import { commitPaths, locateRepo, type Repo, ReviewBranch, reviewBranchName } from "./git-output.js";
import { apiKeyFor, assertLlmConfigured, createLlmRun } from "./llm-setup.js";
import { type Mode, modeResolver, pathsTouched, splitByMode } from "./modes.js";
import { indexFacts, nearestFacts, updateIndex } from "./nearest.js";
import { markDone, type Part, recoverPending, savePending, settle, withTrailer } from "./pending.js";
import { type FileWork, planMine } from "./plan.js";
import { buildMessages, outline } from "./prompt.js";
import { commitMessage, type MineSummary, renderReport } from "./report.js";
import type { MineSource } from "./types.js";
import type { Rejection } from "./validate.js";
import { type Checkpoint, commitCheckpoint } from "./watermarks.js";

export interface MineOptions {
  agent?: string;
  since?: string;
  mode?: "review" | "apply";
  dryRun?: boolean;
  onProgress?: (done: number, total: number) => void;
  /** Test hooks for the LLM client (backoff sleep, clock). */
  llm?: Partial<LlmRunOptions>;
  /** Called after each chunk is checkpointed (fault tests stop the process here). */
  afterChunk?: (n: number) => void;
}

export function selectSources(ctx: Context, agent?: string): MineSource[] {
  const all = ctx.config.mine.sources as MineSource[];
  if (all.length === 0) {
    throw new ConfigError(
      "MINE_NO_SOURCES",
      "kb mine has no log sources: add mine.sources: [{agent, kind, path}] (kinds: openclaw-jsonl, openclaw-sqlite, openclaw-memory, claude-code, markdown)",
    );
  }
  if (!agent) return all;
  const picked = all.filter((s) => s.agent === agent);
  if (picked.length === 0) {
    const agents = [...new Set(all.map((s) => s.agent))].join(", ");
    throw new UsageError(
      "MINE_UNKNOWN_AGENT",
      `no source for agent "${agent}"; configured agents: ${agents}`,
    );
  }
  return picked;
}

/** The mine job's body: read → preprocess → extract → validate → apply → commit → checkpoint, chunk by chunk. */
export async function mine(
  ctx: Context,
  run: RunHandle,
  options: MineOptions,
): Promise<MineSummary & { report: string | null }> {
  const cfg = ctx.config;
  const sources = selectSources(ctx, options.agent);
  assertLlmConfigured(cfg);
  const apiKeys = new Map(sources.map((s) => [s, apiKeyFor(cfg, s)]));
  const today = ctx.clock.today();
  const db = ctx.db();
  const dryRun = options.dryRun ?? false;
  const repo = await locateRepo(cfg.brain);
  if (!dryRun) {
    for (const line of await recoverPending(db, repo, cfg.host, run.log)) run.log.warn(line);
  }
  const { work, sources: sourceStats } = planMine(db, {
    sources,
    baseDir: cfg.baseDir,
    chunkTokens: cfg.mine.chunkTokens,
    today,
    since: options.since,
    readOnly: dryRun,
  });
  const scan = scanFromContext(ctx);
  const allowed = picomatch(cfg.mine.allowedPaths);
  const index = indexFacts(scan.docs, sectionOf);
  const tree = outline(scan.docs, allowed);
  const llm = createLlmRun(cfg, run.log, options.llm);
  const modeFor = modeResolver(cfg.mine.autonomy, options.mode ?? cfg.mine.mode, options.mode !== undefined);

  const summary: MineSummary = {
    runId: run.id,
    date: today,
    host: cfg.host,
    mode: options.mode ?? cfg.mine.mode,
    entries: { read: 0, mined: 0, skipped: 0 },
    llm: { calls: 0, attempts: 0, promptTokens: 0, completionTokens: 0, costUsd: 0 },
    usage: [],
    ops: [],
    rejected: [],
    branch: null,
    commits: [],
    budgetStop: false,
    stopReason: null,
    sources: sourceStats,
  };
  for (const stat of sourceStats) {
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
    summary.entries.read += w.counts.read;
    summary.entries.skipped += w.counts.skipped;
    const n = Object.values(w.redactions).reduce((a, b) => a + b, 0);
    if (n > 0) run.log.info("secrets redacted before mining", { agent: w.source.agent, kinds: w.redactions });
  }

  let review: ReviewBranch | null = null;
  const total = work.reduce((a, w) => a + w.chunks.length, 0);
  let done = 0;
  let fatal: unknown = null;
  try {
    outer: for (const w of work) {
      if (w.chunks.length === 0) {
        if (!dryRun && (w.read.end !== w.read.from || w.looseKeys.length > 0))
          checkpoint(ctx, run, w, w.read.end, w.looseKeys);
        continue;
      }
      const apiKey = apiKeys.get(w.source)!;
      for (const [i, chunk] of w.chunks.entries()) {
        if (ctx.signal.aborted) {
          summary.stopReason = "interrupted";
          break outer;
        }
        const near = nearestFacts(index, chunk.text);
        let extraction: Awaited<ReturnType<typeof extractOps>>;
        try {
          extraction = await extractOps({
            llm,
            apiKey,
            messages: buildMessages({ outline: tree, near, chunk, agent: w.source.agent }),
            near,
            entries: chunk.entries,
            allowedPaths: cfg.mine.allowedPaths,
            maxAttempts: cfg.llm.maxAttemptsPerChunk,
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
        const logDate = (chunk.entries.at(-1)?.at || today).slice(0, 10);
        const split = splitByMode(extraction.valid, modeFor);
        const applied: AppliedOp[] = [];
        const rejected: Rejection[] = [...extraction.rejected];
        const base = { agent: w.source.agent, logDate, today, near, dryRun };
        const last = i === w.chunks.length - 1;
        const cp = checkpointFor(ctx, run, w, chunk.end, last ? [...chunk.keys, ...w.looseKeys] : chunk.keys);
        const marker = `${run.id}.${done + 1}`;
        const record = (ops: AppliedOp[], mode: Mode, branch: string | null, commit: string | null) =>
          recordMinedFacts(db, ops, {
            runId: run.id,
            agent: w.source.agent,
            sourceFile: w.read.file,
            model: extraction.model,
            mode,
            branch,
            commit,
            at: ctx.clock.now().toISOString(),
          });
        const parts: Part[] = [];
        if (split.review.length > 0) parts.push("review");
        if (split.apply.length > 0 && repo) parts.push("apply");
        if (!dryRun && parts.length > 0)
          savePending(db, { marker, checkpoint: cp, parts, applyPaths: pathsTouched(split.apply) });
        if (split.review.length > 0) {
          if (!dryRun && !review) review = await openReview(ctx, repo, run.id);
          const brain = dryRun ? cfg.brain : review!.brainDir;
          const r = await applyOps(split.review, { ...base, brain });
          applied.push(...r.applied);
          rejected.push(...r.rejected);
          if (!dryRun) {
            updateIndex(index, r.applied);
            const sha = await review!.commit(
              withTrailer(commitMessage(w.source.agent, r.applied), marker, "review"),
            );
            markDone(db, marker, "review");
            record(r.applied, "review", review!.branch, sha);
            if (sha) {
              summary.commits.push(sha);
              summary.branch = review!.branch;
            }
          }
        }
        if (split.apply.length > 0) {
          const r = await applyOps(split.apply, { ...base, brain: cfg.brain });
          applied.push(...r.applied);
          rejected.push(...r.rejected);
          if (!dryRun) updateIndex(index, r.applied);
          const paths = [
            ...new Set(
              r.applied
                .filter((o) => o.op !== "duplicate")
                .flatMap((o) => [o.path, o.archivedTo ?? []].flat()),
            ),
          ];
          if (!dryRun && repo) {
            const message = withTrailer(commitMessage(w.source.agent, r.applied), marker, "apply");
            const sha = await commitPaths(repo, paths, message, cfg.host);
            markDone(db, marker, "apply");
            record(r.applied, "apply", null, sha);
            if (sha) summary.commits.push(sha);
          } else if (!dryRun) record(r.applied, "apply", null, null);
        }
        summary.ops.push(...applied);
        summary.rejected.push(...rejected.map((r) => ({ ...r, agent: w.source.agent })));
        summary.entries.mined += chunk.entries.length;
        if (!dryRun) {
          recordRejections(ctx, run.id, w.source.agent, rejected);
          settle(db, marker, cp);
          llm.ledger.save(db, run.id);
        }
        done++;
        options.onProgress?.(done, total);
        options.afterChunk?.(done);
      }
    }
  } finally {
    await review?.close();
  }

  summary.usage = [...llm.ledger.byModel.values()];
  summary.llm = llm.ledger.totals();
  if (!dryRun && run.id > 0) llm.ledger.save(db, run.id);
  const report = dryRun ? null : await writeReport(cfg.reports, today, run.id, renderReport(summary));
  if (fatal) {
    run.log.error("mining stopped: no model answered", { report });
    throw fatal;
  }
  return { ...summary, report };
}

function checkpoint(ctx: Context, run: RunHandle, w: FileWork, offset: number, keys: string[]): void {
  commitCheckpoint(ctx.db(), checkpointFor(ctx, run, w, offset, keys));
}

function checkpointFor(
  ctx: Context,
  run: RunHandle,
  w: FileWork,
  offset: number,
  keys: string[],
): Checkpoint {
  return {
    source: w.sourceKey,
    agent: w.source.agent,
    file: w.read.file,
    offset,
    headHash: w.read.headHash,
    size: w.read.size,
    keys,
    runId: run.id,
    at: ctx.clock.now().toISOString(),
  };
}

function recordRejections(ctx: Context, runId: number, agent: string, rejected: Rejection[]): void {
  const insert = ctx
    .db()
    .prepare("INSERT INTO mine_rejections (run_id, agent, reason, detail, at) VALUES (?, ?, ?, ?, ?)");
  const at = ctx.clock.now().toISOString();
  for (const r of rejected) insert.run(runId, agent, r.reason, r.detail, at);
}

async function openReview(ctx: Context, repo: Repo | null, runId: number): Promise<ReviewBranch> {
  if (!repo) {
    throw new ConfigError(
      "MINE_REVIEW_NEEDS_GIT",
      `review mode commits to a branch, but the brain ${ctx.config.brain} is not in a git repository; run \`git init\` there or set mine.mode: apply`,
    );
  }
  const worktree = join(ctx.config.state, `mine-worktree-${runId}`);
  return ReviewBranch.open(
    repo,
    reviewBranchName(ctx.clock.today(), ctx.config.host),
    worktree,
    ctx.config.host,
  );
}

async function writeReport(dir: string, date: string, runId: number, text: string): Promise<string> {
  let path = join(dir, "mine", `mine-${date}.md`);
  if (existsSync(path)) path = join(dir, "mine", `mine-${date}-run${runId}.md`);
  await writeAtomic(path, text);
  return path;
}
