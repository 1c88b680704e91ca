import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { errorMessage, KbError, UsageError } from "../../errors.js";
import type { Logger } from "../../runtime/log.js";

/** Where `GET /healthz` listens. */
export interface HealthAddress {
  host: string;
  port: number;
}

/**
 * `--health PORT`, `--health HOST:PORT` or `--health [IPv6]:PORT`. A bare port listens on
 * 127.0.0.1: the endpoint shows job errors and file names, so reaching it from other machines
 * must be asked for by naming the address.
 */
export function parseHealthAddress(value: string): HealthAddress {
  const text = value.trim();
  const m =
    /^(\d+)$/.exec(text) ?? /^\[([0-9a-f:.]+)\]:(\d+)$/i.exec(text) ?? /^([^:[\]\s]+):(\d+)$/.exec(text);
  const [host, port] = m?.length === 2 ? ["127.0.0.1", m[1]!] : [m?.[1], m?.[2]];
  if (!m || host === undefined || port === undefined || Number(port) > 65535) {
    throw new UsageError(
      "BAD_HEALTH_ADDRESS",
      `--health "${value}" is not an address to listen on; expected PORT, HOST:PORT or [IPv6]:PORT with a port 0-65535, e.g. 127.0.0.1:8787`,
    );
  }
  return { host, port: Number(port) };
}

/** 127.0.0.0/8, ::1 and localhost: reachable from this machine only. */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export interface HealthServer {
  /** The address actually bound (the port is the real one when 0 was asked for). */
  address: HealthAddress;
  url: string;
  close(): Promise<void>;
}

/** What the endpoint serves: a JSON body and whether the host is healthy (200) or not (503). */
export type HealthSource = () => Promise<{ healthy: boolean }>;

/**
 * A plain node:http server with one route: `GET /healthz` → the health JSON, 200 when healthy and
 * 503 when not (what load balancers and uptime checks expect); anything else 404, other methods
 * on /healthz 405. The only network listener kb ever opens.
 */
export async function startHealthServer(
  address: HealthAddress,
  source: HealthSource,
  log: Logger,
): Promise<HealthServer> {
  const server = createServer((req, res) => {
    respond(req, res, source).catch((error) =>
      log.error("health request failed", { error: errorMessage(error) }),
    );
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error) =>
      reject(
        new KbError(
          "HEALTH_LISTEN",
          `cannot serve the health endpoint on ${address.host}:${address.port}: ${error.message}`,
        ),
      ),
    );
    server.listen({ host: address.host, port: address.port }, resolve);
  });
  const bound = server.address() as AddressInfo;
  const host = bound.address;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${bound.port}/healthz`;
  return {
    address: { host, port: bound.port },
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function respond(req: IncomingMessage, res: ServerResponse, source: HealthSource): Promise<void> {
  const path = new URL(req.url ?? "/", "http://localhost").pathname;
  if (path !== "/healthz") return send(res, 404, { error: "not found; the only path is /healthz" });
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.setHeader("Allow", "GET, HEAD");
    return send(res, 405, { error: `${req.method} is not allowed; use GET` });
  }
  try {
    const body = await source();
    send(res, body.healthy ? 200 : 503, body, req.method === "HEAD");
  } catch (error) {
    send(res, 500, { healthy: false, error: errorMessage(error) });
  }
}

function send(res: ServerResponse, status: number, body: unknown, headOnly = false): void {
  const text = `${JSON.stringify(body, null, 2)}\n`;
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-store",
  });
  res.end(headOnly ? undefined : text);
}
