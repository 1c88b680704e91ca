import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { onCleanup } from "./index.js";

/**
 * A local server speaking the OpenAI chat-completions protocol on 127.0.0.1, for tests that drive
 * the real `openai` client. Replies are scripted per model; every request body is recorded.
 *
 *   const llm = await startOpenAiServer({ cheap: [reply({ops: []}), status(429, {"retry-after": "1"})] });
 *   config: llm: { baseUrl: llm.url, models: ["cheap"] }
 */
export type Step =
  | {
      kind: "reply";
      content: string;
      promptTokens?: number;
      completionTokens?: number;
      toolCalls?: { name: string; arguments: unknown }[];
    }
  | { kind: "status"; status: number; headers?: Record<string, string>; body?: unknown }
  | { kind: "hang"; ms: number }
  | { kind: "raw"; body: string };

/** A chat completion whose message content is `content` (a string, or an object sent as JSON). */
export function reply(content: unknown, usage: { prompt?: number; completion?: number } = {}): Step {
  return {
    kind: "reply",
    content: typeof content === "string" ? content : JSON.stringify(content),
    promptTokens: usage.prompt,
    completionTokens: usage.completion,
  };
}

/** An assistant turn that calls tools (function calling), as agent runtimes such as OpenClaw expect. */
export function toolCalls(...calls: { name: string; arguments: unknown }[]): Step {
  return { kind: "reply", content: "", toolCalls: calls };
}

export function status(code: number, headers: Record<string, string> = {}, body?: unknown): Step {
  return { kind: "status", status: code, headers, body };
}

/** Never answer within `ms` (the client's timeout fires first). */
export function hang(ms: number): Step {
  return { kind: "hang", ms };
}

export interface RecordedRequest {
  model: string;
  body: Record<string, unknown>;
  raw: string;
  authorization: string;
  at: number;
}

export type Script = Record<string, Step[] | ((req: RecordedRequest, n: number) => Step)>;

/**
 * The `/embeddings` route: `embed` turns one text into a vector; `fail`, when it returns a step,
 * answers request number `n` (0-based) with that step instead.
 */
export interface EmbeddingsRoute {
  embed: (text: string) => number[];
  fail?: (n: number) => Step | null;
}

export interface OpenAiServer {
  url: string;
  requests: RecordedRequest[];
  /** Every text the `/embeddings` route was asked to embed, in order. */
  embedded: string[];
  /** Requests the `/embeddings` route received. */
  embeddingRequests: number;
  /** Requests per model. */
  count(model?: string): number;
  /** Replace or extend a model's script. */
  script: Script;
  close(): Promise<void>;
}

export async function startOpenAiServer(
  script: Script,
  fallback: Step = status(500),
  embeddings?: EmbeddingsRoute,
): Promise<OpenAiServer> {
  const requests: RecordedRequest[] = [];
  const perModel = new Map<string, number>();
  const embedded: string[] = [];
  let embeddingRequests = 0;
  const server: Server = createServer(async (req, res) => {
    const raw = await readBody(req);
    if (embeddings && req.method === "POST" && req.url?.endsWith("/embeddings")) {
      const n = embeddingRequests++;
      const step = embeddings.fail?.(n);
      if (step?.kind === "status") {
        res
          .writeHead(step.status, { "content-type": "application/json", ...step.headers })
          .end(JSON.stringify(step.body ?? { error: { message: `scripted ${step.status}`, type: "test" } }));
        return;
      }
      if (step?.kind === "raw") {
        res.writeHead(200, { "content-type": "application/json" }).end(step.body);
        return;
      }
      const body = JSON.parse(raw) as { model: string; input: string | string[] };
      const input = typeof body.input === "string" ? [body.input] : body.input;
      embedded.push(...input);
      const data = input.map((text, index) => ({
        object: "embedding",
        index,
        embedding: embeddings.embed(text),
      }));
      const tokens = input.join(" ").split(/\s+/).length;
      res.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          object: "list",
          data,
          model: body.model,
          usage: { prompt_tokens: tokens, total_tokens: tokens },
        }),
      );
      return;
    }
    if (req.method !== "POST" || !req.url?.endsWith("/chat/completions")) {
      res.writeHead(404, { "content-type": "application/json" }).end('{"error":{"message":"not found"}}');
      return;
    }
    const body = JSON.parse(raw) as Record<string, unknown>;
    const model = String(body.model);
    const recorded: RecordedRequest = {
      model,
      body,
      raw,
      authorization: String(req.headers.authorization ?? ""),
      at: Date.now(),
    };
    requests.push(recorded);
    const n = perModel.get(model) ?? 0;
    perModel.set(model, n + 1);
    const s = script[model];
    const step = typeof s === "function" ? s(recorded, n) : (s?.[n] ?? s?.at(-1) ?? fallback);
    if (step.kind === "hang") {
      const t = setTimeout(() => res.destroy(), step.ms);
      res.on("close", () => clearTimeout(t));
      return;
    }
    if (step.kind === "raw") {
      res.writeHead(200, { "content-type": "application/json" }).end(step.body);
      return;
    }
    if (step.kind === "status") {
      res
        .writeHead(step.status, { "content-type": "application/json", ...step.headers })
        .end(JSON.stringify(step.body ?? { error: { message: `scripted ${step.status}`, type: "test" } }));
      return;
    }
    const usage = {
      prompt_tokens: step.promptTokens ?? 100,
      completion_tokens: step.completionTokens ?? 20,
      total_tokens: (step.promptTokens ?? 100) + (step.completionTokens ?? 20),
    };
    const calls = (step.toolCalls ?? []).map((c, i) => ({
      index: i,
      id: `call_${requests.length}_${i}`,
      type: "function",
      function: { name: c.name, arguments: JSON.stringify(c.arguments) },
    }));
    const finish = calls.length > 0 ? "tool_calls" : "stop";
    const id = `chatcmpl-${requests.length}`;
    if (body.stream === true) {
      // Server-sent events, as streaming clients (agent runtimes) ask for.
      const chunk = (delta: unknown, finishReason: string | null, extra = {}) =>
        `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created: 0, model, choices: [{ index: 0, delta, finish_reason: finishReason }], ...extra })}\n\n`;
      const delta =
        calls.length > 0
          ? { role: "assistant", tool_calls: calls }
          : { role: "assistant", content: step.content };
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(chunk(delta, null));
      res.write(chunk({}, finish, { usage }));
      res.end("data: [DONE]\n\n");
      return;
    }
    const message =
      calls.length > 0
        ? { role: "assistant", content: null, tool_calls: calls.map(({ index: _, ...c }) => c) }
        : { role: "assistant", content: step.content };
    res.writeHead(200, { "content-type": "application/json" }).end(
      JSON.stringify({
        id,
        object: "chat.completion",
        created: 0,
        model,
        choices: [{ index: 0, message, finish_reason: finish }],
        usage,
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  onCleanup(() => void close());
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    embedded,
    get embeddingRequests() {
      return embeddingRequests;
    },
    script,
    count: (model) => (model ? requests.filter((r) => r.model === model).length : requests.length),
    close,
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on("data", (d: Buffer) => parts.push(d));
    req.on("end", () => resolve(Buffer.concat(parts).toString("utf8")));
    req.on("error", reject);
  });
}
