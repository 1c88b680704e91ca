import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { type ContestedItem, openContested } from "../consolidate/records.js";
import { errorMessage } from "../errors.js";
import { locateRepo } from "../mine/git-output.js";
import type { Context } from "../runtime/context.js";
import { gitOut } from "../runtime/git.js";
import type { Db } from "../state/db.js";
import { getRun, lastSuccess, type RunRecord, type RunStatus } from "../state/runs.js";
import { lastUnresolved } from "../sync/history.js";
import { brainRepo, findUnresolved } from "../sync/run.js";
import { type EffectiveSchedule, effectiveSchedules } from "./schedules.js";
import { skipReason } from "./skip.js";

/**
 * The health model behind `kb status` and the daemon's `GET /healthz`: per scheduled job (and
 * dedup scope) its last run, last success and whether it is overdue or failing; the sync
 * conflicts a person must resolve; the review branches waiting for a decision. Pure: the loader
 * (`loadHealth`) gathers the input from SQLite and git.
 */

/** Everything `computeHealth` judges, per scheduled entry and for the host. */
export interface HealthInput {
  host: string;
  now: Date;
  entries: {
    schedule: EffectiveSchedule;
    /** Why the job cannot run on this host (`skipReason`), or null. */
    skip: string | null;
    /** The latest run that was not skipped by the lock (may still be running). */
    latest: RunRecord | null;
    /** The latest run that ended (not locked, not running). */
    finished: RunRecord | null;
    /** The latest run that ended `ok`. */
    success: RunRecord | null;
  }[];
  /**
   * Where a job that never succeeded starts its clock: the later of the first run recorded on this
   * host and the config file's last change (enabling a job starts its grace period). Null on a
   * fresh install (no runs recorded): nothing is overdue yet.
   */
  since: Date | null;
  conflicts: string[];
  reviewBranches: ReviewBranch[];
  /** Contradictions no evidence settles, waiting for `kb settle` (read live, so a settle shows at once). */
  contested?: ContestedItem[];
}

export interface ReviewBranch {
  branch: string;
  tip: string;
  committedAt: string;
}

export type JobState =
  | "ok"
  | "waiting"
  | "running"
  | "overdue"
  | "failing"
  | "needs-human"
  | "not-configured";

export interface JobHealth {
  job: string;
  scope?: string;
  schedule: string;
  everyMinutes: number;
  /** One word for people: ok, waiting (never ran, within its grace period), running, overdue, failing, needs-human, not-configured. */
  state: JobState;
  lastRun: {
    id: number;
    status: RunStatus;
    startedAt: string;
    endedAt: string | null;
    error: string | null;
  } | null;
  /** When the last successful run ended. */
  lastSuccess: string | null;
  /** When the job is (or became) overdue: twice its interval after the last success. */
  overdueAt: string | null;
  overdue: boolean;
  /** The latest finished run failed (or failed transiently). */
  failing: boolean;
  /** The latest finished run ended needing a person (sync conflict, unsafe repository, launch gate). */
  needsHuman: boolean;
  /** Set when the job cannot run on this host; such a job never counts against health. */
  notConfigured?: true;
  /** Why it is not configured, failing or needs a person. */
  reason?: string;
}

export interface Health {
  healthy: boolean;
  host: string;
  checkedAt: string;
  /** One line per reason the host is unhealthy (empty when healthy). */
  problems: string[];
  jobs: JobHealth[];
  conflicts: { count: number; files: string[] };
  /** Informational: kb review branches waiting for `kb accept` or `kb reject`. */
  reviewBranches: ReviewBranch[];
  /** Informational, like review branches: contradictions waiting for `kb settle ID --keep FILE:LINE`. */
  contested: ContestedItem[];
}

export function computeHealth(input: HealthInput): Health {
  const jobs = input.entries.map((e) => jobHealth(e, input.now, input.since));
  const problems: string[] = [];
  for (const j of jobs) {
    const name = j.scope ? `${j.job}:${j.scope}` : j.job;
    if (j.failing) problems.push(`${name} is failing: ${j.reason ?? "see its last run"}`);
    if (j.needsHuman) problems.push(`${name} needs a person: ${j.reason ?? "see its last run"}`);
    if (j.overdue) {
      problems.push(
        `${name} is overdue: ${j.lastSuccess ? `no success since ${j.lastSuccess}` : "it has never succeeded on this host"}`,
      );
    }
  }
  const contested = input.contested ?? [];
  if (input.conflicts.length > 0) {
    problems.push(
      `${input.conflicts.length} unresolved sync conflict(s): ${input.conflicts.slice(0, 5).join(", ")}`,
    );
  }
  return {
    healthy: problems.length === 0,
    host: input.host,
    checkedAt: input.now.toISOString(),
    problems,
    jobs,
    conflicts: { count: input.conflicts.length, files: input.conflicts },
    reviewBranches: input.reviewBranches,
    contested,
  };
}

function jobHealth(e: HealthInput["entries"][number], now: Date, since: Date | null): JobHealth {
  const { schedule, latest, finished, success } = e;
  const lastSuccess = success ? (success.endedAt ?? success.startedAt) : null;
  const base = {
    job: schedule.job,
    ...(schedule.scope !== undefined ? { scope: schedule.scope } : {}),
    schedule: schedule.cron,
    everyMinutes: schedule.everyMinutes,
    lastRun: latest
      ? {
          id: latest.id,
          status: latest.status,
          startedAt: latest.startedAt,
          endedAt: latest.endedAt,
          error: latest.error,
        }
      : null,
    lastSuccess,
  };
  if (e.skip !== null) {
    return {
      ...base,
      state: "not-configured",
      overdueAt: null,
      overdue: false,
      failing: false,
      needsHuman: false,
      notConfigured: true,
      reason: e.skip,
    };
  }
  const clockStart = lastSuccess ? new Date(lastSuccess) : since;
  const overdueAt = clockStart ? new Date(clockStart.getTime() + 2 * schedule.everyMinutes * 60_000) : null;
  const overdue = overdueAt !== null && now.getTime() > overdueAt.getTime();
  const failing = finished?.status === "failed" || finished?.status === "transient";
  const needsHuman = finished?.status === "needs-human";
  const reason = failing || needsHuman ? explain(finished!) : undefined;
  const state: JobState = failing
    ? "failing"
    : needsHuman
      ? "needs-human"
      : overdue
        ? "overdue"
        : latest?.status === "running"
          ? "running"
          : success
            ? "ok"
            : "waiting";
  return {
    ...base,
    state,
    overdueAt: overdueAt?.toISOString() ?? null,
    overdue,
    failing,
    needsHuman,
    ...(reason ? { reason } : {}),
  };
}

/** What a person should read about a failed or stopped run: its error, else what its summary names. */
function explain(run: RunRecord): string {
  if (run.error) return run.error;
  const s = run.summary;
  const conflicts = Array.isArray(s.unresolved) ? s.unresolved.length : 0;
  if (conflicts > 0) return `${conflicts} unresolved conflict(s) (run ${run.id})`;
  const unreadable = Array.isArray(s.unreadable) ? s.unreadable.length : 0;
  if (unreadable > 0)
    return `${unreadable} log entr${unreadable === 1 ? "y" : "ies"} kb cannot read hold a watermark back (run ${run.id}; kb mine lists them)`;
  if (typeof s.launch === "string") return `launch gate ${s.launch} not passed yet (run ${run.id})`;
  if (typeof s.skipped === "number" && s.skipped > 0)
    return `${s.skipped} file(s) left unchanged (run ${run.id})`;
  return `run ${run.id} ended ${run.status}`;
}

/**
 * Gather the health input for this host and judge it. Cheap enough per HTTP request: a few indexed
 * SQLite reads, and git only for what the last sync left unresolved (`git grep` over those files,
 * conflict copies from the index) and the review branches (`for-each-ref`); never a brain scan.
 */
export async function loadHealth(ctx: Context): Promise<Health> {
  const db = ctx.db();
  const entries = effectiveSchedules(ctx.config).map((schedule) => ({
    schedule,
    skip: skipReason(schedule.job, ctx.config),
    ...runsOf(db, schedule.job, schedule.scope ?? null),
  }));
  const [conflicts, reviewBranches] = await Promise.all([pendingConflicts(ctx), listReviewBranches(ctx)]);
  return computeHealth({
    host: ctx.config.host,
    now: ctx.clock.now(),
    entries,
    since: clockStart(ctx, db),
    conflicts,
    reviewBranches,
    contested: openContested(db, ctx.config.brain),
  });
}

function runsOf(db: Db, job: string, scope: string | null) {
  const latestId = (statuses: string) =>
    (
      db
        .prepare(
          `SELECT id FROM runs WHERE job = ? AND IFNULL(scope, '') = IFNULL(?, '') AND status NOT IN (${statuses}) ORDER BY id DESC LIMIT 1`,
        )
        .get(job, scope) as { id: number } | undefined
    )?.id;
  const latest = latestId("'locked'");
  const finished = latestId("'locked', 'running'");
  return {
    latest: latest === undefined ? null : getRun(db, latest),
    finished: finished === undefined ? null : getRun(db, finished),
    success: lastSuccess(db, job, scope),
  };
}

function clockStart(ctx: Context, db: Db): Date | null {
  const first = (db.prepare("SELECT MIN(started_at) AS at FROM runs").get() as { at: string | null }).at;
  if (!first) return null;
  const path = ctx.config.location.path;
  const changed = path && existsSync(path) ? statSync(path).mtime.getTime() : 0;
  return new Date(Math.max(Date.parse(first), changed));
}

/**
 * Sync conflicts still waiting for a person: of the files the last sync left unresolved, those
 * that still hold a kb conflict marker (so a fix shows at once, before the next sync), plus any
 * conflict copy in the brain's git index.
 */
async function pendingConflicts(ctx: Context): Promise<string[]> {
  const recorded = lastUnresolved(ctx.db()) ?? [];
  if (!existsSync(join(ctx.config.brain, ".git"))) return recorded;
  try {
    const open = await findUnresolved(brainRepo(ctx), recorded);
    return [...new Set([...open.marked, ...open.copies])].sort();
  } catch (error) {
    ctx.log.warn("could not check the brain for conflicts; showing what the last sync recorded", {
      error: errorMessage(error),
    });
    return recorded;
  }
}

async function listReviewBranches(ctx: Context): Promise<ReviewBranch[]> {
  try {
    const repo = await locateRepo(ctx.config.brain);
    if (!repo) return [];
    const format = "%(refname:short)%09%(objectname:short)%09%(committerdate:iso-strict)";
    const out = await gitOut(["-C", repo.top, "for-each-ref", `--format=${format}`, "refs/heads/kb/"]);
    return out
      .split("\n")
      .filter(Boolean)
      .map((line) => {
        const [branch, tip, committedAt] = line.split("\t") as [string, string, string];
        return { branch, tip, committedAt: new Date(committedAt).toISOString() };
      });
  } catch (error) {
    ctx.log.warn("could not list review branches", { error: errorMessage(error) });
    return [];
  }
}
