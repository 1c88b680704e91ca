import { z } from "zod";
import { envVarSchema } from "./common.js";

/**
 * Hybrid retrieval: facts and queries embedded by an OpenAI-compatible `/v1/embeddings` endpoint
 * (Ollama, vLLM, llama.cpp server, OpenAI), ranked by cosine similarity and fused with BM25. Off
 * unless set; when the endpoint fails, searches fall back to BM25 and say so.
 */
export const embeddingsSchema = z.strictObject({
  /** The endpoint, e.g. http://127.0.0.1:11434/v1 (Ollama) or https://api.openai.com/v1. */
  baseUrl: z.string().url(),
  /** The embedding model, e.g. nomic-embed-text or text-embedding-3-small. Vectors are kept per model. */
  model: z.string().min(1),
  /** Environment variable holding the API key; leave out for keyless local servers. */
  apiKeyEnv: envVarSchema.optional(),
  /** Facts per request when embedding new facts. */
  batchSize: z.number().int().min(1).max(2048).default(64),
  /** Seconds per request before it counts as failed (and is retried). */
  timeoutSeconds: z.number().positive().default(30),
  /** Retries per request on 429, 5xx, timeouts and refused connections (the SDK's own retries are off). */
  maxRetries: z.number().int().min(0).max(5).default(2),
});

/**
 * How `kb search` and the MCP tools read the brain, and what they keep of it. The state database
 * is per host, so each host decides for itself whether its searches are kept.
 */
export const searchSchema = z.strictObject({
  /**
   * Keep every search and read (`kb search`, the MCP tools, the OpenClaw `memory_search` and
   * `memory_get` calls `kb mine` reads) in the state database: the query with secrets redacted,
   * the facts and files returned and, over MCP, the token's name. The audit and `kb status` rank
   * files by reads and list the questions nothing answered. `false` keeps nothing on this host.
   */
  record: z.boolean().default(true),
  /**
   * Days searches and reads are kept; older ones are dropped by each `kb audit` and `kb mine`.
   * At least 90: the audit's unread and unanswered lists look back that far.
   */
  keepDays: z.number().int().min(90).max(3650).default(400),
  /** Hybrid retrieval (off unless set): BM25 fused with embedding similarity. */
  embeddings: embeddingsSchema.optional(),
});

export type EmbeddingsConfig = z.infer<typeof embeddingsSchema>;
