import { z } from "zod";

/**
 * `kb mcp --http`: the same read-only tools as `kb mcp`, over MCP's Streamable HTTP transport at
 * `/mcp`, for every team member's client and every agent on other hosts (through a tunnel). Every
 * request needs a bearer token (`kb mcp token add NAME`).
 */
export const mcpSchema = z.strictObject({
  /** Where to listen, HOST:PORT. Loopback by default; anything else is reported by `kb doctor`. */
  address: z
    .string()
    .regex(/^(?:\[[0-9a-f:]+\]|[a-z0-9.-]+):\d{1,5}$/i, "expected HOST:PORT, e.g. 127.0.0.1:8765")
    .default("127.0.0.1:8765"),
  /**
   * Browser origins allowed to call the server (`https://claude.ai`). A request carrying any
   * other `Origin` gets 403 (DNS rebinding); requests without one (desktop clients, agents) pass.
   */
  allowedOrigins: z.array(z.string().url()).default([]),
  /** Largest request body accepted; larger gets 413. */
  maxBodyKiB: z.number().int().min(1).max(16_384).default(256),
  /** A request still running after this long gets 503 and is abandoned. */
  timeoutSeconds: z.number().int().min(1).max(600).default(30),
  /** Requests one token may have in flight; more get 429 with `Retry-After`. */
  maxConcurrent: z.number().int().min(1).max(1000).default(16),
});
