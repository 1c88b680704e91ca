import { errorMessage } from "../errors.js";
import { raiseAlert, resolveAlert } from "../runtime/alerts.js";
import type { Context } from "../runtime/context.js";
import { type Health, loadHealth } from "./health.js";

/**
 * Turn overdue jobs into alerts. Failures and conflicts are announced by the runner as each run
 * ends; "overdue" is the absence of runs, so it is noticed here: after every job command (`kb sync`,
 * `kb mine`, `kb dedup`, `kb audit`, `kb run`) and by the daemon after each tick. `kb status` only
 * reads. Each overdue job is announced once and resolved when it succeeds again. Never throws.
 */
export async function alertOverdue(ctx: Context, health: Health): Promise<void> {
  const deps = { config: ctx.config, db: ctx.db(), log: ctx.log, now: ctx.clock.now() };
  for (const job of health.jobs) {
    const name = job.scope ? `${job.job}:${job.scope}` : job.job;
    const key = `overdue:${name}`;
    try {
      if (job.overdue) {
        await raiseAlert(deps, {
          key,
          kind: "overdue",
          message: `${name} is overdue: ${job.lastSuccess ? `no successful run since ${job.lastSuccess}` : "it has never succeeded on this host"} (expected every ${describeMinutes(job.everyMinutes)})`,
        });
      } else {
        await resolveAlert(deps, key, `${name} has run successfully again`);
      }
    } catch (error) {
      ctx.log.warn("could not record or send an overdue alert", { job: name, error: errorMessage(error) });
    }
  }
}

/** After a job command: compute this host's health and alert overdue jobs. Never throws. */
export async function checkOverdue(ctx: Context): Promise<void> {
  try {
    await alertOverdue(ctx, await loadHealth(ctx));
  } catch (error) {
    ctx.log.warn("could not check for overdue jobs", { error: errorMessage(error) });
  }
}

function describeMinutes(minutes: number): string {
  if (minutes % 1440 === 0) return minutes === 1440 ? "day" : `${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? "hour" : `${minutes / 60} hours`;
  return `${minutes} minutes`;
}
