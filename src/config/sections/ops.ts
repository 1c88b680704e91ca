import { z } from "zod";
import { cronSchema } from "./common.js";

export const scheduleSchema = z.strictObject({
  /** IANA time zone for schedules, e.g. Europe/Oslo. Defaults to the host's zone. */
  timezone: z.string().optional(),
  sync: cronSchema.optional(),
  mine: cronSchema.optional(),
  audit: cronSchema.optional(),
});

export const alertsSchema = z.strictObject({
  /** Slack-compatible incoming-webhook URL; read from this env variable if given instead. */
  webhook: z.string().url().optional(),
  webhookEnv: z.string().optional(),
});
