import { z } from "zod";
import { cronSchema, envVarSchema } from "./common.js";

/** The scheduled jobs (jobs/index.ts); a test keeps this list and the registry equal. */
export const JOB_NAMES = ["sync", "mine", "consolidate", "dedup", "audit"] as const;

export const scheduleSchema = z.strictObject({
  /**
   * Jobs this host does not run, e.g. `[dedup, audit]` on the second host so one host tidies the
   * brain. `kb schedule` leaves them out, the daemon does not schedule them, `kb status` shows them
   * as not configured, and `kb run nightly` skips them.
   */
  off: z.array(z.enum(JOB_NAMES)).default([]),
  /** IANA time zone for schedules, e.g. Europe/Oslo. Defaults to the host's zone. */
  timezone: z.string().optional(),
  sync: cronSchema.optional(),
  mine: cronSchema.optional(),
  audit: cronSchema.optional(),
});

export const alertsSchema = z.strictObject({
  /** Slack-compatible incoming-webhook URL. Prefer `webhookEnv`: the URL is a secret. */
  webhook: z.string().url().optional(),
  /** Environment variable holding the webhook URL (e.g. from the env file). */
  webhookEnv: envVarSchema.optional(),
  /** Also post when an alerted condition clears (a job succeeds again, a conflict is resolved). */
  sendResolved: z.boolean().default(true),
  /** Per attempt; an alert never holds a job up for longer than (retries + 1) × this plus backoff. */
  timeoutSeconds: z.number().positive().max(60).default(5),
  retries: z.number().int().min(0).max(5).default(2),
});
