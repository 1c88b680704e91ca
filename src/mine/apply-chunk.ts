import { join } from "node:path";
import { ConfigError } from "../errors.js";
import { recordMinedFacts } from "../provenance/records.js";
import type { Context } from "../runtime/context.js";
import type { RunHandle } from "../runtime/runner.js";
import { type AppliedOp, applyOps } from "./apply.js";
import type { Extraction } from "./extract.js";
import { commitPaths, type Repo, ReviewBranch, reviewBranchName } from "./git-output.js";
import { type Mode, pathsTouched, splitByMode } from "./modes.js";
import { type FactIndex, type NearFact, updateIndex } from "./nearest.js";
import { markDone, type Part, savePending, settle, withTrailer } from "./pending.js";
import type { FileWork } from "./plan.js";
import type { Chunk } from "./preprocess.js";
import { commitMessage, type MineSummary } from "./report.js";
import type { Rejection } from "./validate.js";
import { type Checkpoint, commitCheckpoint } from "./watermarks.js";

/** What every chunk of one mine run shares: where results go and the summary they add to. */
export interface MineRun {
  ctx: Context;
  run: RunHandle;
  repo: Repo | null;
  modeFor: (path: string) => Mode;
  summary: MineSummary;
  /** The review branch, opened by the first chunk that has something to review. */
  review: ReviewBranch | null;
  /** Chunks finished so far in this run. */
  done: number;
  /** The facts shown to the model, kept as the run leaves the brain (see `updateIndex`). */
  index?: FactIndex;
}

/**
 * Put one chunk's extracted operations where they belong — a commit on the review branch, a commit
 * on the main branch, or both — record their provenance, and move the file's watermark past the
 * chunk. A crash between the commits and the checkpoint is recovered by `recoverPending`.
 */
export async function applyChunk(
  m: MineRun,
  w: FileWork,
  chunk: Chunk & { last: boolean; near: NearFact[] },
  extraction: Extraction,
): Promise<void> {
  const { ctx, run, summary } = m;
  const db = ctx.db();
  const today = ctx.clock.today();
  const agent = w.source.agent;
  const logDate = (chunk.entries.at(-1)?.at || today).slice(0, 10);
  const split = splitByMode(extraction.valid, m.modeFor);
  const applied: AppliedOp[] = [];
  const rejected: Rejection[] = [...extraction.rejected];
  const base = { agent, logDate, today, near: chunk.near, dryRun: false };
  const cp = checkpointFor(ctx, run, w, chunk.end, chunk.last ? [...chunk.keys, ...w.looseKeys] : chunk.keys);
  const marker = `${run.id}.${m.done + 1}`;
  const record = (ops: AppliedOp[], mode: Mode, branch: string | null, commit: string | null) =>
    recordMinedFacts(db, ops, {
      runId: run.id,
      agent,
      sourceFile: w.read.file,
      model: extraction.model,
      mode,
      branch,
      commit,
      at: ctx.clock.now().toISOString(),
    });
  const parts: Part[] = [];
  if (split.review.length > 0) parts.push("review");
  if (split.apply.length > 0 && m.repo) parts.push("apply");
  if (parts.length > 0)
    savePending(db, { marker, checkpoint: cp, parts, applyPaths: pathsTouched(split.apply) });

  if (split.review.length > 0) {
    m.review ??= await openReview(ctx, m.repo, run.id);
    const r = await applyOps(split.review, { ...base, brain: m.review.brainDir });
    applied.push(...r.applied);
    rejected.push(...r.rejected);
    if (m.index) updateIndex(m.index, r.applied);
    const sha = await m.review.commit(withTrailer(commitMessage(agent, r.applied), marker, "review"));
    markDone(db, marker, "review");
    record(r.applied, "review", m.review.branch, sha);
    if (sha) {
      summary.commits.push(sha);
      summary.branch = m.review.branch;
    }
  }
  if (split.apply.length > 0) {
    const r = await applyOps(split.apply, { ...base, brain: ctx.config.brain });
    applied.push(...r.applied);
    rejected.push(...r.rejected);
    if (m.index) updateIndex(m.index, r.applied);
    if (m.repo) {
      const paths = r.applied
        .filter((o) => o.op !== "duplicate")
        .flatMap((o) => [o.path, o.archivedTo ?? []].flat());
      const message = withTrailer(commitMessage(agent, r.applied), marker, "apply");
      const sha = await commitPaths(m.repo, [...new Set(paths)], message, ctx.config.host);
      markDone(db, marker, "apply");
      record(r.applied, "apply", null, sha);
      if (sha) summary.commits.push(sha);
    } else record(r.applied, "apply", null, null);
  }

  summary.ops.push(...applied);
  summary.rejected.push(...rejected.map((r) => ({ ...r, agent })));
  summary.entries.mined += chunk.entries.length;
  recordRejections(ctx, run.id, agent, rejected);
  settle(db, marker, cp);
  m.done++;
}

/** Move a file's watermark with no chunk to mine (noise-only reads, entries before --since). */
export function checkpointFile(ctx: Context, run: RunHandle, w: FileWork): void {
  if (w.read.end === w.read.from && w.looseKeys.length === 0) return;
  commitCheckpoint(ctx.db(), checkpointFor(ctx, run, w, w.read.end, w.looseKeys));
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
