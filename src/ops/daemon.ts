import cron, { type ScheduledTask } from "node-cron";
import { ConfigError, errorMessage, UsageError } from "../errors.js";
import type { Context } from "../runtime/context.js";
import {
  type HealthServer,
  isLoopback,
  parseHealthAddress,
  startHealthServer,
} from "./daemon/health-server.js";
import { RunQueue } from "./daemon/run-queue.js";
import { type Health, loadHealth } from "./health.js";
import { runPipeline, type StepResult } from "./pipeline.js";
import { cronVariants, type EffectiveSchedule, effectiveSchedules } from "./schedules.js";
import { skipReason } from "./skip.js";

export interface DaemonOptions {
  /** `--health`: PORT, HOST:PORT or [IPv6]:PORT; loopback unless a host is named. */
  health?: string;
  /**
   * Called with this host's health after every run (alerts hook in here). Its errors are logged
   * and never stop the daemon.
   */
  onHealth?: (health: Health) => void | Promise<void>;
}

export interface DaemonRun {
  job: string;
  scope?: string;
  status: StepResult["status"];
  exitCode: number;
  reason?: string;
  startedAt: string;
  endedAt: string;
}

export interface DaemonSummary {
  startedAt: string;
  stoppedAt: string;
  scheduled: { job: string; scope?: string; cron: string }[];
  health: { host: string; port: number; url: string } | null;
  runs: DaemonRun[];
}

/** The daemon keeps real time: a pinned clock (`--as-of`) is refused before anything starts. */
export function checkDaemonClock(ctx: Context): void {
  if (ctx.options.asOf)
    throw new UsageError("DAEMON_AS_OF", "kb daemon runs on the real clock; --as-of is for one-off commands");
}

/**
 * `kb daemon`: every configured job (and each dedup scope) on its effective schedule in the
 * configured time zone, until `ctx.signal` aborts (SIGTERM/SIGINT). Each run goes through the
 * same path as `kb run JOB`, so the runner's per-host lock also keeps cron-started runs and this
 * daemon apart. On the signal: no new runs, the running job finishes (jobs watch the signal and
 * checkpoint), the health endpoint closes, and the promise resolves — a clean exit 0.
 */
export async function runDaemon(ctx: Context, options: DaemonOptions = {}): Promise<DaemonSummary> {
  checkDaemonClock(ctx);
  const timezone = checkTimezone(ctx.config.schedule.timezone);
  const address = options.health === undefined ? null : parseHealthAddress(options.health);
  const entries = effectiveSchedules(ctx.config);
  for (const entry of entries) checkCron(entry);
  const startedAt = new Date();
  const queue = new RunQueue();
  const runs: DaemonRun[] = [];
  const log = ctx.log.child({ daemon: process.pid });

  const runEntry = async (entry: EffectiveSchedule) => {
    const fields = { job: entry.job, ...(entry.scope ? { scope: entry.scope } : {}) };
    const start = new Date();
    log.info("run started", fields);
    const result = await runPipeline(ctx, [entry.job], entry.scope ? { scope: entry.scope } : {});
    const step = result.steps[0]!;
    const end = new Date();
    const run: DaemonRun = {
      ...fields,
      status: step.status,
      exitCode: step.exitCode,
      ...(step.reason ? { reason: step.reason } : {}),
      startedAt: start.toISOString(),
      endedAt: end.toISOString(),
    };
    runs.push(run);
    log.info("run finished", { ...run, durationMs: end.getTime() - start.getTime() });
    if (options.onHealth) {
      try {
        await options.onHealth(await loadHealth(ctx));
      } catch (error) {
        log.warn("the health hook failed", { error: errorMessage(error) });
      }
    }
  };

  let server: HealthServer | null = null;
  if (address) {
    server = await startHealthServer(
      address,
      async () => ({
        ...(await loadHealth(ctx)),
        daemon: {
          pid: process.pid,
          startedAt: startedAt.toISOString(),
          running: queue.current
            ? { run: queue.current.key, since: queue.current.since.toISOString() }
            : null,
        },
      }),
      log,
    );
    log.info("listening", { ...server.address, url: server.url });
    if (!isLoopback(server.address.host)) {
      log.warn("the health endpoint listens on a non-loopback address: other machines can read it", {
        host: server.address.host,
      });
    }
  }

  const tasks: ScheduledTask[] = [];
  const scheduled: DaemonSummary["scheduled"] = [];
  const keepAlive = setInterval(() => {}, 1 << 30);
  try {
    for (const entry of entries) {
      const key = entry.scope ? `${entry.job}:${entry.scope}` : entry.job;
      const fields = { job: entry.job, ...(entry.scope ? { scope: entry.scope } : {}) };
      const skip = skipReason(entry.job, ctx.config);
      if (skip) {
        log.info("not scheduled", { ...fields, reason: skip });
        continue;
      }
      const tick = () => {
        const queued = queue.enqueue(key, () => runEntry(entry));
        if (!queued)
          log.debug("tick ignored: this job is queued or running, or the daemon is stopping", fields);
        return queued ?? undefined;
      };
      const next: (Date | null)[] = [];
      for (const [i, expression] of cronVariants(entry.cron).entries()) {
        const task = cron.schedule(expression, tick, {
          name: i === 0 ? key : `${key}#${i}`,
          timezone,
          noOverlap: true,
          logger: cronLogger(log.child(fields)),
        });
        task.on("execution:overlap", () =>
          log.info("run skipped: the previous run of this job has not finished", fields),
        );
        tasks.push(task);
        next.push(task.getNextRun());
      }
      const first = next.filter((d): d is Date => d !== null).sort((a, b) => a.getTime() - b.getTime())[0];
      scheduled.push({ ...fields, cron: entry.cron });
      log.info("scheduled", { ...fields, cron: entry.cron, next: first?.toISOString() ?? null });
    }
    await aborted(ctx.signal);
    log.info("stopping: no new runs", {
      why: errorMessage(ctx.signal.reason),
      waitingFor: queue.current?.key ?? null,
    });
  } finally {
    for (const task of tasks) await task.destroy();
    await queue.close();
    await server?.close();
    clearInterval(keepAlive);
  }
  const summary: DaemonSummary = {
    startedAt: startedAt.toISOString(),
    stoppedAt: new Date().toISOString(),
    scheduled,
    health: server ? { ...server.address, url: server.url } : null,
    runs,
  };
  log.info("stopped", { runs: runs.length });
  return summary;
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
}

function checkTimezone(zone: string | undefined): string | undefined {
  if (zone === undefined) return undefined;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return zone;
  } catch {
    throw new ConfigError(
      "BAD_TIMEZONE",
      `schedule.timezone "${zone}" is not a time zone this system knows; expected an IANA name such as Europe/Oslo or UTC`,
    );
  }
}

function checkCron(entry: EffectiveSchedule): void {
  if (cron.validate(entry.cron)) return;
  const key = entry.scope ? `the dedup scope "${entry.scope}" (dedup.scopes[].at)` : `schedule.${entry.job}`;
  throw new ConfigError("BAD_SCHEDULE", `${key} "${entry.cron}" is not a cron expression the daemon can run`);
}

/** node-cron's own messages, through kb's logger (its overlap and missed-tick notes are routine). */
function cronLogger(log: Context["log"]) {
  return {
    info: (message: string) => log.debug(message, { source: "node-cron" }),
    warn: (message: string) => log.debug(message, { source: "node-cron" }),
    error: (message: string | Error, err?: Error) =>
      log.error(errorMessage(message), { source: "node-cron", ...(err ? { error: errorMessage(err) } : {}) }),
    debug: (message: string | Error) => log.debug(errorMessage(message), { source: "node-cron" }),
  };
}
