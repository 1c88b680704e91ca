import { z } from "zod";

/** A duration like `30d`, `12w`, `3mo`, `1y` (also `90 days`). */
export const durationSchema = z
  .string()
  .regex(
    /^\s*\d+\s*(d|days?|w|weeks?|mo|months?|y|years?)\s*$/i,
    "expected a duration such as 30d, 12w, 3mo, 1y",
  );

/** A five-field cron expression such as `45 3 * * *`. */
export const cronSchema = z
  .string()
  .regex(/^\s*(\S+\s+){4}\S+\s*$/, "expected a five-field cron expression such as '45 3 * * *'");

/** A glob or list of globs, relative to the brain root. */
export const globsSchema = z
  .union([z.string(), z.array(z.string()).min(1)])
  .transform((v) => (Array.isArray(v) ? v : [v]));

/** The name of an environment variable that holds a secret (secrets are never written in the config). */
export const envVarSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "expected an environment variable name");
