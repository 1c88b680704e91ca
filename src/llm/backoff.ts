/**
 * Retry delays: exponential backoff with "equal jitter" (half fixed, half random), and the
 * server's `Retry-After` honoured when it asks for longer. Pure, so tests check the real numbers.
 */
export interface BackoffOptions {
  baseMs?: number;
  maxMs?: number;
  random?: () => number;
}

/** Delay before retry number `retry` (1 = the first retry). */
export function backoffDelay(retry: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 1000;
  const max = options.maxMs ?? 30_000;
  const ceiling = Math.min(max, base * 2 ** (retry - 1));
  const random = options.random ?? Math.random;
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** `Retry-After` (seconds or an HTTP date) or `retry-after-ms`, in milliseconds; null when absent. */
export function retryAfterMs(
  headers: { get(name: string): string | null } | undefined,
  now: Date,
): number | null {
  if (!headers) return null;
  const ms = headers.get("retry-after-ms");
  if (ms && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.ceil(Number(ms));
  const value = headers.get("retry-after")?.trim();
  if (!value) return null;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

/** The delay actually waited: the backoff, or the server's ask when longer. */
export function retryDelay(retry: number, serverAskMs: number | null, options: BackoffOptions = {}): number {
  const computed = backoffDelay(retry, options);
  return serverAskMs === null ? computed : Math.max(computed, serverAskMs);
}
