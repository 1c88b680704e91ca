import OpenAI from "openai";
import { KbError } from "../errors.js";
import { retryAfterMs } from "./backoff.js";

/**
 * What a failed call to an OpenAI-compatible endpoint means for the caller: `retry` (429, 5xx,
 * 408/409, timeouts, refused connections; `retryAfter` is the server's ask), `fatal` (401, 403,
 * 404: the key or the model is wrong, asking again will not help), or `other` (any other reply,
 * or a `Retry-After` longer than the caller waits). Shared by chat completions and embeddings.
 */
export interface Failure {
  kind: "retry" | "fatal" | "other";
  message: string;
  retryAfter: number | null;
}

export function classifyFailure(error: unknown, now: Date, maxRetryAfterMs = 60_000): Failure {
  if (error instanceof OpenAI.APIError && error.status !== undefined) {
    const status = error.status;
    const message = `HTTP ${status}${error.message ? ` ${error.message.slice(0, 200)}` : ""}`;
    if (status === 401 || status === 403 || status === 404)
      return { kind: "fatal", message, retryAfter: null };
    if (status === 408 || status === 409 || status === 429 || status >= 500) {
      const ask = retryAfterMs(error.headers, now);
      if (ask !== null && ask > maxRetryAfterMs)
        return { kind: "other", message: `${message} (asked to wait ${ask} ms)`, retryAfter: ask };
      return { kind: "retry", message, retryAfter: ask };
    }
    return { kind: "other", message, retryAfter: null };
  }
  if (error instanceof OpenAI.APIConnectionTimeoutError)
    return { kind: "retry", message: "timed out", retryAfter: null };
  if (error instanceof OpenAI.APIConnectionError)
    return { kind: "retry", message: `connection failed: ${error.message}`, retryAfter: null };
  if (error instanceof KbError) throw error;
  return { kind: "other", message: String(error), retryAfter: null };
}
