import {
  ExitCode,
  errorMessage,
  exitCodeFor,
  KbError,
  LockedError,
  NeedsHumanError,
  TransientError,
} from "../errors.js";
import { finishRun, type RunStatus, startRun } from "../state/runs.js";
import { type AlertKind, raiseAlert, resolveAlert } from "./alerts.js";
import type { Context } from "./context.js";
import { acquireLock } from "./lock.js";
import type { Logger } from "./log.js";

/** What a job's body reports back to the runner. */
export interface JobOutcome {
  /** `ok` unless the job finished but needs a person (e.g. a sync with conflicts). */
  status?: "ok" | "needs-human";
  counts?: Record<string, number>;
  /** Small JSON the status/health views show (conflicts, report paths, branches). */
  summary?: Record<string, unknown>;
  /** A finished run that still needs someone told (e.g. mining stopped at its budget). */
  notice?: { kind: AlertKind; message: string };
}

export interface RunHandle {
  id: number;
  log: Logger;
  /** Lock name, e.g. `dedup:customer-service`. */
  lockName: string;
}

export interface RunSpec {
  job: string;
  scope?: string;
  /** Dry runs take no lock and leave no record: they change nothing. */
  dryRun?: boolean;
}

/**
 * Run one job under its per-host lock and record it. A concurrent run of the same job fails fast
 * with `LockedError` (exit code 4) and is recorded as `locked`.
 */
export async function runJob<T extends JobOutcome>(
  ctx: Context,
  spec: RunSpec,
  body: (run: RunHandle) => Promise<T>,
): Promise<T & { runId: number }> {
  const lockName = spec.scope ? `${spec.job}:${spec.scope}` : spec.job;
  if (spec.dryRun) {
    const result = await body({ id: 0, log: ctx.log.child({ job: lockName, dryRun: true }), lockName });
    return { ...result, runId: 0 };
  }
  const db = ctx.db();
  const id = startRun(db, {
    job: spec.job,
    scope: spec.scope,
    host: ctx.config.host,
    startedAt: ctx.clock.now(),
  });
  const log = ctx.log.child({ job: lockName, run: id });
  let lock: ReturnType<typeof acquireLock> | undefined;
  try {
    lock = acquireLock(db, lockName, { host: ctx.config.host, runId: id, now: new Date() });
    if (lock.tookOver) log.warn("took over a lock left by a process that is gone");
    const result = await body({ id, log, lockName });
    const status = result.status ?? "ok";
    finishRun(db, id, {
      status,
      exitCode: status === "ok" ? ExitCode.ok : ExitCode.needsHuman,
      endedAt: ctx.clock.now(),
      counts: result.counts,
      summary: result.summary,
    });
    await settleAlerts(ctx, spec.job, lockName, { status, notice: result.notice }, log);
    return { ...result, runId: id };
  } catch (error) {
    finishRun(db, id, {
      status: statusFor(error),
      exitCode: exitCodeFor(error),
      endedAt: ctx.clock.now(),
      error: errorMessage(error),
      summary: error instanceof KbError ? { code: error.code } : {},
    });
    await settleAlerts(
      ctx,
      spec.job,
      lockName,
      { status: statusFor(error), error: errorMessage(error) },
      log,
    );
    throw error;
  } finally {
    lock?.release();
  }
}

function statusFor(error: unknown): RunStatus {
  if (error instanceof LockedError) return "locked";
  if (error instanceof NeedsHumanError) return "needs-human";
  if (error instanceof TransientError) return "transient";
  return "failed";
}

/**
 * Tell the alert webhook what this run changed: a failure or a run needing a person opens an
 * alert (posted once), a good run resolves it. Never throws.
 */
async function settleAlerts(
  ctx: Context,
  job: string,
  lockName: string,
  end: { status: RunStatus; error?: string; notice?: { kind: AlertKind; message: string } },
  log: Logger,
): Promise<void> {
  if (end.status === "locked") return;
  const deps = { config: ctx.config, db: ctx.db(), log, now: ctx.clock.now() };
  try {
    if (end.status === "ok") {
      await resolveAlert(deps, `run:${lockName}`, `${lockName} is running normally again`);
    } else if (end.status === "needs-human") {
      await raiseAlert(deps, {
        key: `run:${lockName}`,
        kind: job === "sync" ? "conflict" : "failure",
        message:
          job === "sync"
            ? "sync left conflicts for a person to resolve (kb status lists them)"
            : `${lockName} needs a person: ${end.error ?? "see kb status"}`,
      });
    } else {
      await raiseAlert(deps, {
        key: `run:${lockName}`,
        kind: "failure",
        message: `${lockName} failed: ${end.error ?? end.status}`,
      });
    }
    if (end.notice) await raiseAlert(deps, { key: `notice:${lockName}`, ...end.notice });
    else if (end.status === "ok")
      await resolveAlert(deps, `notice:${lockName}`, `${lockName} completed without warnings`);
  } catch (error) {
    log.warn("could not record or send an alert", { error: errorMessage(error) });
  }
}
