import { existsSync } from "node:fs";
import { ConfigError, KbError, NeedsHumanError, TransientError } from "../errors.js";
import type { Context } from "../runtime/context.js";
import type { RunHandle } from "../runtime/runner.js";
import { CONFLICT_MARKER_PATTERN, type MergeConflict } from "./conflict-types.js";
import { exchange } from "./exchange.js";
import { lastUnresolved, recordSync } from "./history.js";
import {
  clearJournal,
  readJournal,
  recoverAbandonedRun,
  undoInterruptedGit,
  writeJournal,
} from "./journal.js";
import { commitLocalChanges } from "./local-commit.js";
import { preflight } from "./preflight.js";
import { gitProcessAlive, Repo } from "./repo.js";
import { renderConflictReport, type UnresolvedConflicts, writeConflictReport } from "./report.js";
import { publishReviewBranches, type ReviewBranchesOutcome } from "./review-publish.js";
import { ensureExcludes } from "./setup.js";

export type SyncResultKind = "ok" | "conflict" | "locked" | "unsafe" | "network" | "error";

/** What `kb sync --json` prints. */
export interface SyncResult {
  result: SyncResultKind;
  host: string;
  hub: string | null;
  branch: string;
  commitsIn: number;
  commitsOut: number;
  localCommit: string | null;
  conflicts: MergeConflict[];
  unresolved: UnresolvedConflicts;
  recovered: string[];
  attempts: number;
  /** Files merged in-process in one batch instead of one driver process each. */
  batchMerged: number;
  /** Review branches pushed to the hub, and ones found merged there and deleted. */
  reviewBranches: ReviewBranchesOutcome;
  head: string | null;
  report: string | null;
  durationMs: number;
  runId: number;
  error?: { code: string; message: string };
}

/** The brain clone for this host, with the run's deadline and SSH timeouts. */
export function brainRepo(ctx: Context, deadline?: number): Repo {
  return new Repo(ctx.config.brain, {
    deadline,
    sshConnectTimeoutSeconds: ctx.config.sync.sshConnectTimeoutSeconds,
    sshKey: ctx.config.sync.sshKey,
  });
}

/**
 * One sync run (the body `runJob` wraps): recover a killed run → preflight → commit local changes →
 * fetch/merge/push → verify HEAD == hub and a clean tree → report. Throws KbErrors whose class
 * says the result (NeedsHuman = unsafe, Transient = network).
 */
export async function syncBrain(ctx: Context, run: RunHandle): Promise<SyncResult> {
  const started = Date.now();
  const cfg = ctx.config.sync;
  if (!cfg.hub)
    throw new ConfigError(
      "SYNC_NO_HUB",
      "sync.hub is not set in the config: the path or URL of the hub repository",
    );
  const repo = brainRepo(ctx, started + cfg.deadlineSeconds * 1000);
  const recovered = existsSync(repo.gitDir)
    ? await recoverAbandonedRun(repo, ctx.config.host, () => gitProcessAlive(repo.dir))
    : [];
  for (const line of recovered) run.log.warn(line);
  const problems = await preflight(repo, cfg.branch);
  if (problems.length > 0) {
    const text = problems.map((p) => `${p.message} (${p.hint})`).join("; ");
    if (problems.every((p) => p.code === "BUSY")) throw new TransientError("SYNC_BUSY", text);
    throw new NeedsHumanError(
      `SYNC_UNSAFE_${problems[0]!.code}`,
      `refusing to sync, nothing changed: ${text}`,
    );
  }
  ensureExcludes(repo);
  const guard = { maxDeleteShare: cfg.maxDeleteShare, minFiles: cfg.massDeleteMinFiles };
  await writeJournal(repo, { phase: "committing" });
  try {
    const startHead = await repo.revParse("HEAD");
    const local = await commitLocalChanges(repo, ctx.config.host, guard);
    const stamp = ctx.clock
      .now()
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d+Z$/, "Z");
    const moved = await exchange(repo, {
      host: ctx.config.host,
      remote: cfg.remote,
      branch: cfg.branch,
      attempts: cfg.pushAttempts,
      ...guard,
      stamp: `${stamp}-r${run.id}`,
    });
    const head = await repo.revParse("HEAD");
    const hubHead = await repo.revParse(`refs/remotes/${cfg.remote}/${cfg.branch}`);
    if (head !== hubHead) {
      throw new KbError(
        "SYNC_VERIFY",
        `after the push, HEAD ${head} is not the hub's ${cfg.branch} (${hubHead})`,
      );
    }
    const dirty = await repo.out(["status", "--porcelain"]);
    if (dirty)
      run.log.warn("files changed while the sync ran; they go out next run", {
        files: dirty.split("\n").length,
      });
    await pruneBackups(repo, KEEP_BACKUPS);
    const reviewBranches = cfg.publishReviewBranches
      ? await publishReviewBranches(repo, cfg.remote, run.log)
      : { published: [], merged: [], withdrawn: [], closed: [] };
    const previous = run.id > 0 ? lastUnresolved(ctx.db()) : null;
    const touched =
      previous === null || startHead === null || recovered.length > 0
        ? null
        : [
            ...previous,
            ...(await repo.out(["diff", "--name-only", "--no-renames", startHead, "HEAD"]))
              .split("\n")
              .filter(Boolean),
          ];
    const unresolved = await findUnresolved(repo, touched);
    const needsPerson =
      moved.conflicts.some((c) => c.severity === "conflict") ||
      unresolved.marked.length + unresolved.copies.length > 0;
    const result: SyncResult = {
      result: needsPerson ? "conflict" : "ok",
      host: ctx.config.host,
      hub: cfg.hub,
      branch: cfg.branch,
      commitsIn: moved.commitsIn,
      commitsOut: moved.commitsOut,
      localCommit: local.sha,
      conflicts: moved.conflicts,
      unresolved,
      recovered,
      attempts: moved.attempts,
      batchMerged: moved.batchMerged,
      reviewBranches,
      head,
      report: null,
      durationMs: Date.now() - started,
      runId: run.id,
    };
    if (moved.conflicts.length > 0 || needsPerson) {
      const markdown = renderConflictReport({
        host: ctx.config.host,
        runId: run.id,
        at: ctx.clock.now().toISOString(),
        conflicts: moved.conflicts,
        unresolved,
      });
      const name = `${ctx.clock.today()}-${ctx.config.host}-run${run.id}.md`;
      result.report = await writeConflictReport(ctx.config.reports, name, markdown);
    }
    if (run.id > 0) {
      recordSync(ctx.db(), { ...result, hubHead, detail: result });
    }
    return result;
  } catch (error) {
    // A git killed by the deadline leaves locks and maybe a half-made merge: undo them now, with a
    // fresh short deadline, so the next run starts clean instead of refusing.
    const cleanup = new Repo(repo.dir, { deadline: Date.now() + 30_000 });
    const journal = readJournal(repo);
    const merging = journal?.phase === "merging" ? journal : null;
    const undone = await undoInterruptedGit(
      cleanup,
      ctx.config.host,
      () => gitProcessAlive(repo.dir),
      merging,
    ).catch(() => []);
    for (const line of undone) run.log.warn(line);
    throw error;
  } finally {
    clearJournal(repo);
  }
}

/** Backup refs kept (refs/kb/sync-backup/*): enough to step back over a day of 30-minute runs. */
const KEEP_BACKUPS = 50;

async function pruneBackups(repo: Repo, keep: number): Promise<void> {
  const refs = (await repo.out(["for-each-ref", "--format=%(refname)", "refs/kb/sync-backup/"]))
    .split("\n")
    .filter(Boolean);
  if (refs.length <= keep) return;
  const old = refs.sort().slice(0, refs.length - keep);
  await repo.run(["update-ref", "--stdin"], { input: old.map((r) => `delete ${r}\n`).join("") });
}

/**
 * Files still holding a kb conflict marker, and conflict copies still in the brain. With `paths`,
 * only those files are searched (what was unresolved last run plus what this run changed), so an
 * unchanged 10k-file brain is not read on every run.
 */
export async function findUnresolved(
  repo: Repo,
  paths: string[] | null = null,
): Promise<UnresolvedConflicts> {
  const md =
    paths === null
      ? ["*.md"]
      : [...new Set(paths)].filter((p) => p.endsWith(".md")).map((p) => `:(literal)${p}`);
  const grep =
    md.length === 0
      ? { exitCode: 1, stdout: "" }
      : await repo.run(["grep", "-l", "-F", "-e", CONFLICT_MARKER_PATTERN, "--", ...md], {
          allowFailure: true,
        });
  const marked = grep.exitCode === 0 ? grep.stdout.split("\n").filter(Boolean) : [];
  const copies = (await repo.out(["ls-files", "--", "*.kb-conflict-*"])).split("\n").filter(Boolean);
  return { marked, copies };
}

/** Map an error to the sync result kind shown in `--json`. */
export function resultKindFor(error: unknown): SyncResultKind {
  if (!(error instanceof KbError)) return "error";
  if (error.code === "LOCKED") return "locked";
  if (error instanceof NeedsHumanError) return "unsafe";
  if (error instanceof TransientError) return "network";
  return "error";
}
