import { z } from "zod";

/** A duration like `30d`, `12w`, `3mo`, `1y` (also `90 days`). */
export const durationSchema = z
  .string()
  .regex(
    /^\s*\d+\s*(d|days?|w|weeks?|mo|months?|y|years?)\s*$/i,
    "expected a duration such as 30d, 12w, 3mo, 1y",
  );

/**
 * A cron expression: five fields (minute hour day-of-month month day-of-week) such as `45 3 * * *`,
 * each `*`, a number, a range `1-5`, a step `*\/15` or `0-30/10`, or a list of those; months and
 * weekdays also by name (`jan`, `mon-fri`). A sixth, leading seconds field (`*\/10 * * * * *`) is
 * accepted because `kb daemon` schedules in-process and can fire by the second (fast schedules in
 * tests, or sub-minute syncs); cron, systemd and launchd cannot, so `kb schedule` refuses such an
 * entry. Checked field by field here so a typo is a config error with its line, not a crash at
 * 03:45.
 */
export const cronSchema = z
  .string()
  .regex(
    /^\s*(\S+\s+){4,5}\S+\s*$/,
    "expected a cron expression of five fields (minute hour day-of-month month day-of-week) such as '45 3 * * *', or six with leading seconds for kb daemon",
  )
  .superRefine((value, issue) => {
    const problem = cronProblem(value);
    if (problem) issue.addIssue({ code: "custom", message: problem });
  });

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const CRON_FIELDS = [
  { name: "second", min: 0, max: 59 },
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTHS, offset: 1, example: "jan or jun-aug" },
  { name: "day of week", min: 0, max: 7, names: WEEKDAYS, offset: 0, example: "mon-fri" },
] as const;

/** What is wrong with a cron expression (five fields, or six with leading seconds), or null. */
export function cronProblem(expression: string): string | null {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5 && parts.length !== 6) return null; // the field-count regex reports it
  const fields = parts.length === 5 ? CRON_FIELDS.slice(1) : CRON_FIELDS;
  for (const [i, text] of parts.entries()) {
    const field = fields[i]!;
    const names = "names" in field ? field.names : undefined;
    const value = (v: string): number | null => {
      if (/^\d+$/.test(v)) return Number(v);
      const at = names?.indexOf(v.toLowerCase()) ?? -1;
      return at >= 0 && "offset" in field ? at + field.offset : null;
    };
    for (const item of text.split(",")) {
      const m = /^(\*|[a-z0-9]+(?:-[a-z0-9]+)?)(?:\/(\d+))?$/i.exec(item);
      const bounds = m?.[1] === "*" ? [field.min, field.max] : (m?.[1]?.split("-").map(value) ?? [null]);
      const step = m?.[2] === undefined ? 1 : Number(m[2]);
      const inRange = bounds.every((b) => b !== null && b >= field.min && b <= field.max);
      if (!m || !inRange || step < 1 || (bounds.length === 2 && bounds[0]! > bounds[1]!)) {
        const accepted = "example" in field ? `; names work too, e.g. ${field.example}` : "";
        return `has "${item}" in its ${field.name} field; expected *, a number ${field.min}-${field.max}, a range a-b, a step */n or a-b/n, or a list of these${accepted}`;
      }
    }
  }
  return null;
}

/** A glob or list of globs, relative to the brain root. */
export const globsSchema = z
  .union([z.string(), z.array(z.string()).min(1)])
  .transform((v) => (Array.isArray(v) ? v : [v]));

/** The name of an environment variable that holds a secret (secrets are never written in the config). */
export const envVarSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "expected an environment variable name");
