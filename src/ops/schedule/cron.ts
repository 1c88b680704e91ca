import { CronExpressionParser } from "cron-parser";
import { ConfigError, errorMessage } from "../../errors.js";

/**
 * A five-field cron expression expanded into the values each field allows: the form that
 * systemd's OnCalendar and launchd's StartCalendarInterval are generated from. A field that
 * allows every value is `null` ("any"), so generators can leave it out.
 */
export interface CronSpec {
  /** The expression as written, whitespace collapsed. */
  expression: string;
  minute: number[] | null;
  hour: number[] | null;
  dayOfMonth: number[] | null;
  month: number[] | null;
  /** 0 = Sunday … 6 = Saturday (7 is folded into 0). */
  dayOfWeek: number[] | null;
  /**
   * crontab(5): when day-of-month and day-of-week are both restricted ("don't start with *"),
   * the job runs when *either* matches; otherwise both must match.
   */
  dayOr: boolean;
}

export const CRON_FIELDS = ["minute", "hour", "dayOfMonth", "month", "dayOfWeek"] as const;
export type CronField = (typeof CRON_FIELDS)[number];

/** Each field's accepted numbers (day of week also takes 7 for Sunday) and its name in messages. */
const RANGES: Record<CronField, [min: number, max: number, label: string]> = {
  minute: [0, 59, "minute"],
  hour: [0, 23, "hour"],
  dayOfMonth: [1, 31, "day-of-month"],
  month: [1, 12, "month"],
  dayOfWeek: [0, 7, "day-of-week"],
};

const MONTHS = /^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)$/i;
const WEEKDAYS = /^(sun|mon|tue|wed|thu|fri|sat)$/i;
const EXPECTED =
  'five fields "minute hour day-of-month month day-of-week" made of numbers, * , - and / (month and weekday names allowed), e.g. "45 3 * * *"';

/**
 * Parse a five-field cron expression found at `key` (e.g. `schedule.sync`), which every error
 * names. Extensions that systemd and launchd cannot express — `L`, `W`, `#`, `?`, `H`, a
 * seconds field, `@daily`-style nicknames — are refused rather than approximated. cron-parser
 * expands the fields (ranges, steps, names); the grammar check here is stricter than its own.
 */
export function parseCron(expression: string, key: string): CronSpec {
  const text = expression.trim().replace(/\s+/g, " ");
  const fail = (why: string): never => {
    throw new ConfigError("SCHEDULE_INVALID", `"${key}" is "${text}": ${why}; expected ${EXPECTED}`);
  };
  if (text.startsWith("@")) fail(`nicknames such as ${text.split(" ")[0]} are not accepted`);
  const raw = text.split(" ");
  if (raw.length === 6) {
    fail(
      "a leading seconds field works only under kb daemon; cron, systemd and launchd start jobs by the minute",
    );
  }
  if (raw.length !== 5) fail(`it has ${raw.length} field${raw.length === 1 ? "" : "s"}, not 5`);
  for (const [i, field] of raw.entries()) {
    const problem = fieldProblem(CRON_FIELDS[i]!, field);
    if (problem) fail(problem);
  }

  let parsed: ReturnType<typeof CronExpressionParser.parse>;
  try {
    parsed = CronExpressionParser.parse(text, { strict: false });
  } catch (error) {
    const message = errorMessage(error);
    const backwards = /Invalid range: (\S+),/.exec(message);
    if (backwards) return fail(`the range ${backwards[1]} runs backwards (cron ranges do not wrap around)`);
    return fail(
      /day of month/i.test(message) ? "that day of the month never occurs in the months given" : message,
    );
  }
  const values = (name: CronField): number[] | null => {
    const all = name === "dayOfWeek" ? 7 : RANGES[name][1] - RANGES[name][0] + 1;
    const set = new Set(
      (parsed.fields[name].values as (number | string)[]).map((v) =>
        name === "dayOfWeek" ? Number(v) % 7 : Number(v),
      ),
    );
    return set.size === all ? null : [...set].sort((a, b) => a - b);
  };
  return {
    expression: text,
    minute: values("minute"),
    hour: values("hour"),
    dayOfMonth: values("dayOfMonth"),
    month: values("month"),
    dayOfWeek: values("dayOfWeek"),
    dayOr: !raw[2]!.startsWith("*") && !raw[4]!.startsWith("*"),
  };
}

/** What is wrong with one field, in the words of the field a person wrote; null when it is fine. */
function fieldProblem(name: CronField, field: string): string | null {
  const [min, max, label] = RANGES[name];
  const names = name === "month" ? MONTHS : name === "dayOfWeek" ? WEEKDAYS : null;
  for (const word of field.match(/[a-z]+/gi) ?? []) {
    if (names?.test(word)) continue;
    if (/^[LWH]$/.test(word)) {
      return `"${word}" in the ${label} field is a cron extension that systemd and launchd cannot express`;
    }
    return `"${word}" is not valid in the ${label} field`;
  }
  const extension = /[#?]/.exec(field);
  if (extension) {
    return `"${extension[0]}" in the ${label} field is a cron extension that systemd and launchd cannot express`;
  }
  if (!/^[\da-z*,/-]+$/i.test(field))
    return `the ${label} field "${field}" has characters cron does not accept`;
  for (const part of field.split(",")) {
    const [span = "", step, extra] = part.split("/");
    if (extra !== undefined || span === "") return `the ${label} field "${field}" is not a list of ranges`;
    const outside = (span.match(/\d+/g) ?? []).map(Number).find((n) => n < min || n > max);
    if (outside !== undefined) return `${label} ${outside} is outside ${min}-${max}`;
    if (step !== undefined && !/^[1-9]\d*$/.test(step)) {
      return `the step "/${step}" in the ${label} field must be a whole number from 1`;
    }
  }
  return null;
}
