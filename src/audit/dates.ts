/**
 * Dates and review intervals as they appear in frontmatter. Pure: "now" is always passed in.
 * Dates are calendar days (YYYY-MM-DD, UTC); intervals are days or calendar months.
 */
export interface Interval {
  days: number;
  months: number;
  /** As written, for reports. */
  text: string;
}

const NAMED: Record<string, { days?: number; months?: number }> = {
  daily: { days: 1 },
  weekly: { days: 7 },
  fortnightly: { days: 14 },
  biweekly: { days: 14 },
  monthly: { months: 1 },
  quarterly: { months: 3 },
  "semi-annually": { months: 6 },
  semiannually: { months: 6 },
  "half-yearly": { months: 6 },
  yearly: { months: 12 },
  annually: { months: 12 },
};

const UNIT = /^(\d+)\s*(d|days?|w|wks?|weeks?|mo|mos|months?|m|y|yrs?|years?)$/;

/** `30d`, `12w`, `3mo`, `1y`, `6 months`, `quarterly`, `P90D`, or a bare number of days. */
export function parseInterval(value: unknown): Interval | null {
  if (typeof value === "number" && Number.isInteger(value) && value > 0) {
    return { days: value, months: 0, text: `${value}d` };
  }
  if (typeof value !== "string") return null;
  const text = value.trim().toLowerCase();
  const named = NAMED[text];
  if (named) return { days: named.days ?? 0, months: named.months ?? 0, text: value.trim() };
  const iso = /^p(\d+)(d|w|m|y)$/.exec(text);
  const match = iso ?? UNIT.exec(text);
  if (!match) return null;
  const n = Number(match[1]);
  if (n <= 0) return null;
  const unit = match[2]!;
  if (unit.startsWith("d")) return { days: n, months: 0, text: value.trim() };
  if (unit.startsWith("w")) return { days: 7 * n, months: 0, text: value.trim() };
  if (unit.startsWith("y")) return { days: 0, months: 12 * n, text: value.trim() };
  return { days: 0, months: n, text: value.trim() };
}

/** A strict calendar date: YYYY-MM-DD (a full ISO time is cut to its date). Null when malformed. */
export function parseDay(value: unknown): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString().slice(0, 10);
  if (typeof value !== "string") return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(value.trim());
  if (!match) return null;
  const day = `${match[1]}-${match[2]}-${match[3]}`;
  const date = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day ? day : null;
}

export function addInterval(day: string, interval: Interval): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (interval.months) {
    const d = date.getUTCDate();
    date.setUTCDate(1);
    date.setUTCMonth(date.getUTCMonth() + interval.months);
    const last = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
    date.setUTCDate(Math.min(d, last));
  }
  date.setUTCDate(date.getUTCDate() + interval.days);
  return date.toISOString().slice(0, 10);
}

/** Whole days from `a` to `b` (positive when b is later). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** Interval length in days (months counted as 30.44 days), for shares and bands. */
export function intervalDays(interval: Interval): number {
  return interval.days + Math.round(interval.months * 30.44);
}
