import { parse as parseCron } from "node-cron";
import { jobs } from "../../jobs/index.js";
import type { Config } from "../config/load.js";
import { scopeSchedules } from "../dedup/scopes.js";

/** When one job (or one dedup scope) runs on this host, and how often it is expected to succeed. */
export interface EffectiveSchedule {
  job: string;
  /** The dedup scope; dedup runs once per scope, each at its own staggered time. */
  scope?: string;
  /** Five fields, or six with leading seconds (the daemon only; see `hasSecondsField`). */
  cron: string;
  /** Expected minutes between successful runs; a job is overdue after twice this. */
  everyMinutes: number;
  /** `default` from the job registry, `config` from `schedule.<job>` or a scope's `at`, `stagger` from dedup's stagger. */
  source: "default" | "config" | "stagger";
}

type ScheduleConfig = Pick<Config, "schedule" | "dedup">;

const ORDER = ["sync", "mine", "dedup", "audit"];

/**
 * Every scheduled entry for this config, in the nightly order (sync, mine, dedup, audit, then any
 * other registered job): `schedule.<job>` overrides the registry's default; dedup expands to one
 * entry per scope at its `at` or staggered slot. The daemon, `kb status` and `kb schedule` all
 * read this, so they agree on what runs when.
 */
export function effectiveSchedules(config: ScheduleConfig): EffectiveSchedule[] {
  const out: EffectiveSchedule[] = [];
  const rank = (name: string) => (ORDER.includes(name) ? ORDER.indexOf(name) : ORDER.length);
  for (const job of [...jobs].sort((a, b) => rank(a.name) - rank(b.name))) {
    if (job.name === "dedup") {
      const explicit = new Set(config.dedup.scopes.filter((s) => s.at).map((s) => s.name));
      for (const { scope, cron } of scopeSchedules(config)) {
        const source = explicit.has(scope) ? "config" : "stagger";
        const everyMinutes = source === "config" ? intervalMinutes(cron) : job.everyMinutes;
        out.push({ job: job.name, scope, cron, everyMinutes, source });
      }
      continue;
    }
    const overrides: Record<string, string | undefined> = {
      sync: config.schedule.sync,
      mine: config.schedule.mine,
      audit: config.schedule.audit,
    };
    const override = overrides[job.name]?.trim();
    const cron = override ?? job.schedule;
    const fromConfig = override !== undefined && override !== job.schedule;
    out.push({
      job: job.name,
      cron,
      everyMinutes: fromConfig ? intervalMinutes(cron) : job.everyMinutes,
      source: fromConfig ? "config" : "default",
    });
  }
  return out;
}

/** Whether an expression has the daemon-only leading seconds field (cron, systemd and launchd have none). */
export function hasSecondsField(cron: string): boolean {
  return cron.trim().split(/\s+/).length === 6;
}

/** Days scanned for the longest gap: four years from a leap year, so yearly and Feb-29 schedules show. */
const SCAN_DAYS = 4 * 365 + 1;
const SCAN_FROM = Date.UTC(2024, 0, 1);
const DAY_MS = 86_400_000;

/**
 * The longest gap between two consecutive firings of a cron expression, in minutes (fractions for
 * second-level schedules). Computed from the parsed fields over four calendar years with cron's day
 * rule (see `cronVariants`; the daemon fires the same way), on UTC days: a daylight-saving shift
 * changes a gap by an hour, which does not matter at twice the interval.
 */
export function intervalMinutes(cron: string): number {
  const variants = cronVariants(cron).map((c) => parseCron(c));
  const fields = variants[0]!;
  const times = [...fields.hour]
    .sort((a, b) => a - b)
    .flatMap((h) =>
      [...fields.minute]
        .sort((a, b) => a - b)
        .flatMap((m) => [...fields.second].sort((a, b) => a - b).map((s) => h * 3600 + m * 60 + s)),
    );
  let longest = 0;
  for (let i = 1; i < times.length; i++) longest = Math.max(longest, times[i]! - times[i - 1]!);
  const first = times[0]!;
  const last = times.at(-1)!;
  let previousDay: number | null = null;
  let days = 0;
  for (let d = 0; d < SCAN_DAYS; d++) {
    const day = new Date(SCAN_FROM + d * DAY_MS);
    if (!variants.some((v) => dayMatches(v, day))) continue;
    if (previousDay !== null) longest = Math.max(longest, (d - previousDay) * 86_400 - last + first);
    previousDay = d;
    days += 1;
  }
  // Fewer than two days in four years (e.g. Feb 29 only): the gap is at least the whole window.
  if (days < 2) return SCAN_DAYS * 1440;
  return longest / 60;
}

type CronFields = ReturnType<typeof parseCron>;

function dayMatches(fields: CronFields, day: Date): boolean {
  if (!fields.month.includes(day.getUTCMonth() + 1)) return false;
  return (
    fields.dayOfMonth.some((v) => tokenMatchesDate(v, day, "month")) &&
    fields.dayOfWeek.some((v) => tokenMatchesDate(v, day, "week"))
  );
}

/**
 * A day-of-month or day-of-week value against a date. node-cron also knows `L` (last day) and
 * `n#k` (k-th weekday); config never holds them (the schema allows standard fields only), but the
 * registry could, so they are read rather than rejected.
 */
function tokenMatchesDate(token: number | string, day: Date, kind: "month" | "week"): boolean {
  const dom = day.getUTCDate();
  const dow = day.getUTCDay();
  if (typeof token === "number") return kind === "month" ? token === dom : token % 7 === dow;
  const lastDom = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + 1, 0)).getUTCDate();
  if (token === "L") return dom === lastDom;
  const nth = /^(\d)#(\d)$/.exec(token);
  if (nth) return Number(nth[1]) % 7 === dow && Math.ceil(dom / 7) === Number(nth[2]);
  return dom === 1; // any other token: assume monthly, the longest such rule
}

/**
 * Cron runs a job when *either* day field matches if both are restricted (neither starts with
 * `*`; crontab(5)), node-cron only when both do. The daemon schedules such an expression as two
 * tasks — days of the month with any weekday, weekdays with any day of the month — so it fires
 * exactly when the crontab entry `kb schedule` prints would.
 */
export function cronVariants(cron: string): string[] {
  const fields = cron.trim().split(/\s+/);
  const dom = fields.length - 3;
  const dow = fields.length - 1;
  if (fields[dom]!.startsWith("*") || fields[dow]!.startsWith("*")) return [cron.trim()];
  const withDays = fields.map((f, i) => (i === dow ? "*" : f)).join(" ");
  const withWeekdays = fields.map((f, i) => (i === dom ? "*" : f)).join(" ");
  return [withDays, withWeekdays];
}
