import OpenAI from "openai";
import type { EmbeddingsConfig } from "../config/sections/search.js";
import { ConfigError, KbError } from "../errors.js";
import { type BackoffOptions, retryDelay } from "../llm/backoff.js";
import { classifyFailure } from "../llm/failure.js";

/** The embeddings endpoint failed for good (after its retries), or answered with unusable vectors. */
export class EmbeddingsError extends KbError {}

/** Turns texts into vectors; one per text, in order. */
export interface Embedder {
  model: string;
  embed(texts: string[]): Promise<Float32Array[]>;
}

export interface EmbedderOptions {
  env?: NodeJS.ProcessEnv;
  backoff?: BackoffOptions;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * An embedder over any OpenAI-compatible `/v1/embeddings` endpoint, through the `openai` client:
 * texts go in batches of `batchSize`; each request is retried on 429, 5xx, timeouts and refused
 * connections (kb's backoff, the server's `Retry-After`), as chat completions are.
 */
export function createEmbedder(config: EmbeddingsConfig, options: EmbedderOptions = {}): Embedder {
  const env = options.env ?? process.env;
  let apiKey = "no-key"; // keyless local servers (Ollama, llama.cpp) accept any key
  if (config.apiKeyEnv) {
    const value = env[config.apiKeyEnv]?.trim();
    if (!value)
      throw new ConfigError(
        "EMBEDDINGS_API_KEY_UNSET",
        `environment variable ${config.apiKeyEnv} (named by search.embeddings.apiKeyEnv) is not set or empty`,
      );
    apiKey = value;
  }
  const client = new OpenAI({
    apiKey,
    baseURL: config.baseUrl,
    maxRetries: 0,
    timeout: config.timeoutSeconds * 1000,
  });
  const wait = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const request = async (input: string[]): Promise<Float32Array[]> => {
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await client.embeddings.create({ model: config.model, input, encoding_format: "float" });
        const data = [...res.data].sort((a, b) => a.index - b.index);
        if (data.length !== input.length)
          throw new EmbeddingsError(
            "EMBEDDINGS_COUNT",
            `${config.baseUrl} returned ${data.length} vectors for ${input.length} texts`,
          );
        return data.map((d) => Float32Array.from(d.embedding));
      } catch (error) {
        if (error instanceof EmbeddingsError) throw error;
        const failure = classifyFailure(error, new Date());
        if (failure.kind !== "retry" || attempt >= config.maxRetries)
          throw new EmbeddingsError(
            "EMBEDDINGS_FAILED",
            `${config.baseUrl} (model ${config.model}): ${failure.message.replace(/\.\s*$/, "")}${attempt > 0 ? ` after ${attempt + 1} attempts` : ""}`,
          );
        await wait(retryDelay(attempt + 1, failure.retryAfter, options.backoff));
      }
    }
  };
  return {
    model: config.model,
    async embed(texts) {
      const out: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += config.batchSize)
        out.push(...(await request(texts.slice(i, i + config.batchSize))));
      return out;
    },
  };
}
