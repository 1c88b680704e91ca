import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { onCleanup } from "./index.js";

/**
 * A Slack-compatible incoming webhook on 127.0.0.1 that records every post. `statuses` scripts
 * the answers in order (then 200), to test retries and refusals.
 */
export interface WebhookServer {
  url: string;
  /** Every request received, including refused ones. */
  posts: { status: number; body: { text: string; kb: Record<string, string> } }[];
  /** Posts answered 200. */
  accepted(): { text: string; kb: Record<string, string> }[];
  statuses: number[];
  close(): Promise<void>;
}

export async function startWebhookServer(statuses: number[] = []): Promise<WebhookServer> {
  const posts: WebhookServer["posts"] = [];
  const state = { statuses: [...statuses] };
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (d) => (raw += d));
    req.on("end", () => {
      const status = state.statuses.shift() ?? 200;
      posts.push({ status, body: JSON.parse(raw) });
      res.writeHead(status, { "content-type": "text/plain" }).end(status === 200 ? "ok" : "busy");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  const close = () => new Promise<void>((r) => server.close(() => r()));
  onCleanup(() => void close());
  return {
    url: `http://127.0.0.1:${port}/services/T000/B000/secret-token`,
    posts,
    accepted: () => posts.filter((p) => p.status === 200).map((p) => p.body),
    get statuses() {
      return state.statuses;
    },
    set statuses(v: number[]) {
      state.statuses = v;
    },
    close,
  };
}
