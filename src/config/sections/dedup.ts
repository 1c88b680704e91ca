import { z } from "zod";
import { cronSchema, globsSchema } from "./common.js";

const scopeSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/i, "expected a short name (letters, digits, dashes)"),
  paths: globsSchema,
  /** When this scope runs; when absent the stagger assigns a time. */
  at: cronSchema.optional(),
});

export const dedupSchema = z.strictObject({
  scopes: z.array(scopeSchema).default([]),
  /** First staggered slot, HH:MM local time. */
  staggerStart: z
    .string()
    .regex(/^\d{1,2}:\d{2}$/, "expected HH:MM")
    .default("03:45"),
  staggerMinutes: z.number().int().min(1).max(120).default(10),
  /** Abort a scope's run that would remove more than this share of its facts. */
  maxRemoveShare: z.number().min(0).max(1).default(0.2),
});
