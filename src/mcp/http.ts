import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { UsageError } from "../errors.js";
import type { Context } from "../runtime/context.js";
import { openSearch } from "../search/search.js";
import { createMcpServer } from "./server.js";
import { checkToken, type TokenRecord } from "./tokens.js";

export interface HttpOptions {
  /** HOST:PORT; port 0 picks a free one. */
  address: string;
  allowedOrigins: string[];
  maxBodyBytes: number;
  timeoutMs: number;
  /** Requests one token may have in flight. */
  maxConcurrent: number;
  version: string;
  /** Keep agents' searches in the state database (`--no-record` turns it off). */
  record: boolean;
}

export interface HttpMcp {
  server: Server;
  /** `http://HOST:PORT/mcp` */
  url: string;
  close(): Promise<void>;
}

/**
 * `kb mcp --http`: the read-only tools of `kb mcp` over MCP's Streamable HTTP transport, stateless
 * (a fresh protocol server per request, one shared search index), at `/mcp`. Before a request
 * reaches the protocol: a foreign `Origin` gets 403 (DNS rebinding), a missing, unknown or revoked
 * bearer token 401, a token over its concurrency 429, a body over the limit 413, and a request
 * over the time limit 503. Tokens never reach a log line: requests are logged by token name.
 */
export async function serveHttp(ctx: Context, options: HttpOptions): Promise<HttpMcp> {
  const { host, port } = parseAddress(options.address);
  const searcher = openSearch(ctx);
  const inFlight = new Map<string, number>();

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://kb").pathname;
    if (path !== "/mcp") return refuse(res, 404, "not found: the MCP endpoint is /mcp");
    const origin = req.headers.origin;
    if (origin !== undefined && !options.allowedOrigins.includes(origin))
      return refuse(res, 403, `origin ${origin} is not allowed (mcp.allowedOrigins)`);
    const token = authorise(req);
    if (!token)
      return refuse(res, 401, "a valid bearer token is required (kb mcp token add NAME)", {
        "www-authenticate": 'Bearer realm="kb", error="invalid_token"',
      });
    const busy = inFlight.get(token.name) ?? 0;
    if (busy >= options.maxConcurrent)
      return refuse(res, 429, `too many requests in flight for token ${token.name}`, { "retry-after": "1" });
    inFlight.set(token.name, busy + 1);
    let released = false;
    const release = () => {
      if (!released) inFlight.set(token.name, (inFlight.get(token.name) ?? 1) - 1);
      released = true;
    };
    // Over time: answer 503, free the token's slot, and drop the connection once the answer is out.
    const timer = setTimeout(() => {
      ctx.log.warn("mcp request timed out", { token: token.name, seconds: options.timeoutMs / 1000 });
      release();
      if (res.headersSent) return void res.destroy();
      res.once("finish", () => req.destroy());
      refuse(res, 503, "the request took too long");
    }, options.timeoutMs);
    try {
      const body = req.method === "POST" ? await readBody(req, options.maxBodyBytes) : undefined;
      if (body === TOO_LARGE) return refuse(res, 413, `request body over ${options.maxBodyBytes} bytes`);
      if (body === NOT_JSON) return refuse(res, 400, "request body is not JSON");
      if (body === GONE || res.writableEnded) return;
      const server = createMcpServer(ctx, options.version, {
        searcher,
        folders: token.scopes,
        caller: token.name,
        record: options.record,
        // Many clients: rescan the brain at most once a second, not on every call.
        refreshEveryMs: 1000,
      });
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: undefined,
        enableJsonResponse: true,
      });
      res.on("close", () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(req, res, body);
      ctx.log.info("mcp request", { token: token.name, method: req.method, status: res.statusCode });
    } finally {
      clearTimeout(timer);
      release();
    }
  };

  const authorise = (req: IncomingMessage): TokenRecord | null => {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "");
    return m ? checkToken(ctx.db(), m[1]!, ctx.clock.now()) : null;
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      ctx.log.error("mcp request failed", { error: error instanceof Error ? error.message : String(error) });
      if (!res.headersSent) refuse(res, 500, "internal error; the server log says more");
      else res.destroy();
    });
  });
  server.headersTimeout = options.timeoutMs;
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE" || error.code === "EACCES" || error.code === "EADDRNOTAVAIL"
          ? new UsageError("MCP_ADDRESS", `cannot listen on ${options.address}: ${error.code}`)
          : error,
      ),
    );
    server.listen(port, host, resolve);
  });
  const bound = server.address() as AddressInfo;
  const shown = bound.family === "IPv6" ? `[${bound.address}]` : bound.address;
  return {
    server,
    url: `http://${shown}:${bound.port}/mcp`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** HOST:PORT, `[v6]:PORT`; a bare port means loopback. */
export function parseAddress(address: string): { host: string; port: number } {
  const m =
    /^(?:\[([0-9a-f:]+)\]|([a-z0-9.-]+)):(\d{1,5})$/i.exec(address) ?? /^()()(\d{1,5})$/.exec(address);
  const port = Number(m?.[3]);
  if (!m || port > 65535)
    throw new UsageError("MCP_ADDRESS", `"${address}" is not HOST:PORT (e.g. 127.0.0.1:8765)`);
  return { host: m[1] || m[2] || "127.0.0.1", port };
}

/** Whether `host` only accepts connections from this machine. */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\./.test(host);
}

const TOO_LARGE = Symbol("too large");
const NOT_JSON = Symbol("not JSON");
/** The client went away (or was cut off) before its body arrived. */
const GONE = Symbol("gone");

function readBody(req: IncomingMessage, max: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers["content-length"] ?? 0) > max) {
      req.resume();
      return resolve(TOO_LARGE);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.removeAllListeners("data");
        req.resume();
        resolve(TOO_LARGE);
      } else chunks.push(chunk);
    });
    req.on("end", () => {
      if (size > max) return;
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      } catch {
        resolve(NOT_JSON);
      }
    });
    req.on("error", reject);
    req.on("close", () => resolve(GONE));
  });
}

function refuse(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message }, id: null }));
}
