import { z } from "zod";
import { envVarSchema } from "./common.js";

const priceSchema = z.strictObject({
  /** USD per million prompt tokens. */
  input: z.number().min(0),
  /** USD per million completion tokens. */
  output: z.number().min(0),
});

export const llmSchema = z.strictObject({
  /** Any OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1. */
  baseUrl: z.string().url().optional(),
  /** Environment variable holding the default API key (per-source keys override it). */
  apiKeyEnv: envVarSchema.optional(),
  /** A file holding the default API key (first line). */
  apiKeyFile: z.string().optional(),
  /** The model chain: cheapest first, fallbacks after. */
  models: z.array(z.string()).default([]),
  timeoutSeconds: z.number().positive().default(60),
  /** Retries per model (the SDK's own retries are always off). */
  maxRetries: z.number().int().min(0).max(3).default(3),
  /** Hard cap on attempts per chunk across the whole model chain. */
  maxAttemptsPerChunk: z.number().int().min(1).max(8).default(4),
  prices: z.record(z.string(), priceSchema).default({}),
});
