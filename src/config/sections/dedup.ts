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
  /** Decision bands on the 0..1 similarity score (character-bigram Dice of the normalised facts). */
  thresholds: z
    .strictObject({
      /** Auto-remove at or above this, when every guard passes. */
      auto: z.number().min(0.5).max(1).default(0.9),
      /** Below auto, at or above this: listed for review. */
      review: z.number().min(0).max(1).default(0.75),
      /** Look-alikes at or above this that disagree on a number, name, date or negation: contradictions. */
      contradiction: z.number().min(0).max(1).default(0.7),
      /** A fact whose words contain another's is removed in its favour only at or above this. */
      superset: z.number().min(0.5).max(1).default(0.94),
      /** The same content words reordered ("X is Y" / "Y is X") count as duplicates at or above this. */
      sameWords: z.number().min(0).max(1).default(0.6),
    })
    .default({ auto: 0.9, review: 0.75, contradiction: 0.7, superset: 0.94, sameWords: 0.6 }),
  /** Ask the configured LLM about the review band (off by default). */
  judge: z
    .strictObject({
      enabled: z.boolean().default(false),
      /** At most this many review pairs are sent per scope and run. */
      maxPairs: z.number().int().min(1).max(500).default(20),
    })
    .default({ enabled: false, maxPairs: 20 }),
});
