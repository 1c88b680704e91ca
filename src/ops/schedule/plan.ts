import { findJob, jobs } from "../../../jobs/index.js";
import type { Config } from "../../config/load.js";
import { ConfigError } from "../../errors.js";
import { effectiveSchedules } from "../schedules.js";
import { skipReason } from "../skip.js";
import { type LaunchdInterval, toOnCalendar, toStartCalendarInterval } from "./calendar.js";
import { parseCron } from "./cron.js";

/** One scheduled kb invocation: a job, or one dedup scope, with its time in every format. */
export interface ScheduleEntry {
  /** Unique and file-name safe: `sync`, `dedup-finance`. */
  id: string;
  job: string;
  scope?: string;
  summary: string;
  /** The five-field cron expression. */
  cron: string;
  /** Where the time comes from: a config key (`schedule.sync`, `dedup.scopes.2.at`, `dedup.staggerStart`) or the registry default. */
  from: string;
  /** kb's arguments, e.g. `["dedup", "--scope", "finance"]`. */
  args: string[];
  onCalendar: string[];
  startCalendarInterval: LaunchdInterval[];
}

/** A job this host does not schedule, and why (no hub, no sources, no LLM, schedule.off…). */
export interface SkippedJob {
  job: string;
  reason: string;
}

/** One comment line per job this host does not schedule (cron, and the systemd and launchd headers). */
export function skippedLines(skipped: SkippedJob[]): string[] {
  return skipped.map((s) => `# not scheduled: ${s.job}: ${s.reason}`);
}

export interface SchedulePlan {
  entries: ScheduleEntry[];
  skipped: SkippedJob[];
}

export type SchedulePlanConfig = Pick<Config, "schedule" | "dedup" | "sync" | "mine" | "llm">;

/**
 * Every entry a host installs, in registry order: each job at `schedule.<job>` or its registry
 * default, and dedup once per scope at the scope's `at` or its stagger slot. A job the host cannot
 * run (see `skipReason`) gets no entry, so cron does not log a failure every half hour; it is
 * listed in `skipped` with the reason instead. Each expression is
 * converted for systemd and launchd here, so an expression one of them cannot express fails
 * before anything is printed, with the key it came from (`locate` adds the file and line).
 */
export function planSchedule(
  config: SchedulePlanConfig,
  locate: (key: string) => string | null = () => null,
): SchedulePlan {
  const located = (error: unknown, key: string): unknown => {
    const where = locate(key);
    return error instanceof ConfigError && where
      ? new ConfigError(error.code, `${where}: ${error.message}`)
      : error;
  };
  const timezone = config.schedule.timezone;
  if (timezone !== undefined && !isTimeZone(timezone)) {
    throw located(
      new ConfigError(
        "SCHEDULE_TIMEZONE",
        `"schedule.timezone" is "${timezone}", which is not an IANA time zone; expected a name such as Europe/Oslo or UTC`,
      ),
      "schedule.timezone",
    );
  }
  // Every expression the config sets is checked before the schedules are worked out, so a bad one
  // is reported by its key rather than by whichever reader meets it first.
  const written: [key: string, cron: string | undefined][] = [
    ...(["sync", "mine", "audit"] as const).map((job): [string, string | undefined] => [
      `schedule.${job}`,
      config.schedule[job],
    ]),
    ...config.dedup.scopes.map((s, i): [string, string | undefined] => [`dedup.scopes.${i}.at`, s.at]),
  ];
  for (const [key, cron] of written) {
    try {
      if (cron !== undefined) parseCron(cron, key);
    } catch (error) {
      throw located(error, key);
    }
  }
  const skipped = jobs.flatMap((j) => {
    const reason = skipReason(j.name, config);
    return reason ? [{ job: j.name, reason }] : [];
  });
  const entries = effectiveSchedules(config)
    .filter((s) => !skipped.some((k) => k.job === s.job))
    .map((s) => {
      const from = sourceKey(config, s.job, s.scope, s.source);
      try {
        const spec = parseCron(s.cron, from);
        return {
          id: s.scope ? `${s.job}-${s.scope}` : s.job,
          job: s.job,
          ...(s.scope ? { scope: s.scope } : {}),
          summary: findJob(s.job)?.summary ?? s.job,
          cron: spec.expression,
          from,
          args: s.scope ? [s.job, "--scope", s.scope] : [s.job],
          onCalendar: toOnCalendar(spec, timezone),
          startCalendarInterval: toStartCalendarInterval(spec, from),
        };
      } catch (error) {
        throw located(error, from);
      }
    });
  return { entries, skipped };
}

function sourceKey(
  config: SchedulePlanConfig,
  job: string,
  scope: string | undefined,
  source: "default" | "config" | "stagger",
): string {
  if (source === "default") return `the ${job} job's default in jobs/index.ts`;
  if (source === "stagger") return "dedup.staggerStart";
  if (scope !== undefined) return `dedup.scopes.${config.dedup.scopes.findIndex((s) => s.name === scope)}.at`;
  return `schedule.${job}`;
}

/** Whether the runtime's time-zone database knows this zone (the same names systemd and cron read). */
function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
