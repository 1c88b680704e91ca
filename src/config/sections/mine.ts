import { z } from "zod";
import { envVarSchema, globsSchema } from "./common.js";

export const sourceKinds = [
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
  chunkTokens: z.number().int().min(500).default(6000),
  budget: z
    .strictObject({
      calls: z.number().int().positive().default(200),
      tokens: z.number().int().positive().default(2_000_000),
      costUsd: z.number().positive().default(5),
    })
    .default({ calls: 200, tokens: 2_000_000, costUsd: 5 }),
});
