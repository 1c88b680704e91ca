import { ConfigError } from "../../errors.js";
import type { CronSpec } from "./cron.js";

/**
 * The day rules of a cron expression as a union of plain "all of these must match" calendars:
 * crontab(5) runs a job whose day-of-month and day-of-week are both restricted when *either*
 * matches, while systemd's OnCalendar and launchd's StartCalendarInterval match all fields at
 * once — so that case becomes two calendars, one per day field.
 */
export function dayCalendars(spec: CronSpec): Pick<CronSpec, "dayOfMonth" | "dayOfWeek">[] {
  if (spec.dayOr && spec.dayOfMonth && spec.dayOfWeek) {
    return [
      { dayOfMonth: spec.dayOfMonth, dayOfWeek: null },
      { dayOfMonth: null, dayOfWeek: spec.dayOfWeek },
    ];
  }
  // Either side unrestricted under "either matches" means every day.
  if (spec.dayOr) return [{ dayOfMonth: null, dayOfWeek: null }];
  return [{ dayOfMonth: spec.dayOfMonth, dayOfWeek: spec.dayOfWeek }];
}

const WEEKDAY_NAMES = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/**
 * systemd.time(7) calendar events for a cron expression: one `OnCalendar=` value per calendar,
 * e.g. `*-*-* *:00/30:00` for `*\/30 * * * *` or `*-01,04,07,10-01 06:00:00` for the quarterly
 * audit. The time zone, when given, is appended (systemd ≥ 235 understands IANA names there).
 */
export function toOnCalendar(spec: CronSpec, timezone?: string): string[] {
  const zone = timezone ? ` ${timezone}` : "";
  return dayCalendars(spec).map((days) => {
    const weekday = days.dayOfWeek ? `${runs(days.dayOfWeek, 6, (n) => WEEKDAY_NAMES[n]!, false)} ` : "";
    const date = `*-${field(spec.month, 12, false)}-${field(days.dayOfMonth, 31, false)}`;
    const time = `${field(spec.hour, 23, true)}:${field(spec.minute, 59, true)}:00`;
    return `${weekday}${date} ${time}${zone}`;
  });
}

/**
 * One systemd calendar component: `*`, a list of values and `a..b` ranges, or — for times, where
 * lists get long — a repetition such as `00/15`.
 */
function field(values: number[] | null, max: number, repeat: boolean): string {
  if (values === null) return "*";
  return runs(values, max, (n) => String(n).padStart(2, "0"), repeat);
}

function runs(values: number[], max: number, show: (n: number) => string, repeat: boolean): string {
  const step = (values[1] ?? 0) - values[0]!;
  const progression =
    repeat &&
    values.length >= 3 &&
    step > 1 &&
    values.every((v, i) => v === values[0]! + i * step) &&
    values.at(-1)! + step > max;
  if (progression) return `${show(values[0]!)}/${step}`;
  const parts: string[] = [];
  for (let i = 0; i < values.length; ) {
    let j = i;
    while (j + 1 < values.length && values[j + 1] === values[j]! + 1) j++;
    if (j - i >= 2) parts.push(`${show(values[i]!)}..${show(values[j]!)}`);
    else for (let k = i; k <= j; k++) parts.push(show(values[k]!));
    i = j + 1;
  }
  return parts.join(",");
}

/** launchd.plist(5) StartCalendarInterval keys; a missing key is a wildcard. */
export interface LaunchdInterval {
  Minute?: number;
  Hour?: number;
  Day?: number;
  Weekday?: number;
  Month?: number;
}

/** More calendar dictionaries than this is not a schedule anyone should hand to launchd. */
export const MAX_LAUNCHD_INTERVALS = 500;

/**
 * launchd StartCalendarInterval dictionaries for a cron expression. launchd has no lists, ranges
 * or steps, so each restricted field is expanded and the dictionaries are the cross product:
 * `*\/30 * * * *` becomes `{Minute: 0}`, `{Minute: 30}`; `0 6 1 1,4,7,10 *` four dictionaries.
 * Unrestricted fields are left out. `key` names the config key in the error for an explosion.
 */
export function toStartCalendarInterval(spec: CronSpec, key: string): LaunchdInterval[] {
  const out: LaunchdInterval[] = [];
  for (const days of dayCalendars(spec)) {
    let partial: LaunchdInterval[] = [{}];
    const expand = (name: keyof LaunchdInterval, values: number[] | null) => {
      if (values) partial = partial.flatMap((p) => values.map((v) => ({ ...p, [name]: v })));
    };
    expand("Month", spec.month);
    expand("Day", days.dayOfMonth);
    expand("Weekday", days.dayOfWeek);
    expand("Hour", spec.hour);
    expand("Minute", spec.minute);
    out.push(...partial);
    if (out.length > MAX_LAUNCHD_INTERVALS) {
      throw new ConfigError(
        "SCHEDULE_TOO_FINE",
        `"${key}" is "${spec.expression}": launchd needs one calendar entry per combination of values, and this needs more than ${MAX_LAUNCHD_INTERVALS}; use fewer listed values (e.g. a wider step) for this host`,
      );
    }
  }
  return out;
}
