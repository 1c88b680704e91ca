import { z } from "zod";
import { envVarSchema, globsSchema } from "./common.js";

export const sourceKinds = [
  "openclaw",
  "openclaw-jsonl",
  "openclaw-sqlite",
  "openclaw-memory",
  "claude-code",
  "markdown",
] as const;

const sourceSchema = z.strictObject({
  agent: z.string().min(1),
  kind: z.enum(sourceKinds),
  /** A file, folder or glob; relative to the config file. */
  path: z.string().min(1),
  /** This agent's own API key variable (one key per agent). */
  apiKeyEnv: envVarSchema.optional(),
  /** Trust gating before the model: what is never mined (all on by default). */
  gate: z
    .strictObject({
      /** Results of memory tools that read the brain back (memory_search, memory_get…). */
      memory: z.boolean().default(true),
      /** Dreaming output and generated memory reports (memory/dreaming/, DREAMS.md). */
      dreaming: z.boolean().default(true),
      /** Heartbeat and cron sessions. */
      housekeeping: z.boolean().default(true),
      /** More tool names whose results are never mined. */
      tools: z.array(z.string().min(1)).default([]),
    })
    .optional(),
});

const autonomySchema = z.strictObject({
  paths: globsSchema,
  mode: z.enum(["review", "apply"]),
});

export const mineSchema = z.strictObject({
  sources: z.array(sourceSchema).default([]),
  /** Where mined facts may be written (globs relative to the brain). */
  allowedPaths: globsSchema.default(["**/*.md"]),
  /** Default mode for paths no autonomy rule matches. */
  mode: z.enum(["review", "apply"]).default("review"),
  autonomy: z.array(autonomySchema).default([]),
  /** When `kb autonomy` recommends moving a folder from review to apply (it never changes the config). */
  promotion: z
    .strictObject({
      /** Days a folder must have run in review mode. */
      shadowDays: z.number().int().min(0).default(14),
      /** Proposals a person must have reviewed (accepted, edited or rejected) in the folder. */
      minReviewed: z.number().int().min(1).default(10),
      /** None of this many latest reviewed proposals may have been rejected or edited. */
      cleanLast: z.number().int().min(1).default(10),
      /** Hours between two promotions, across all folders. */
      spacingHours: z.number().int().min(0).default(48),
    })
    .default({ shadowDays: 14, minReviewed: 10, cleanLast: 10, spacingHours: 48 }),
  chunkTokens: z.number().int().min(500).default(6000),
  budget: z
    .strictObject({
      calls: z.number().int().positive().default(200),
      tokens: z.number().int().positive().default(2_000_000),
      costUsd: z.number().positive().default(5),
    })
    .default({ calls: 200, tokens: 2_000_000, costUsd: 5 }),
});
