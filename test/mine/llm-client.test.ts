import { describe, expect, it } from "vitest";
import { backoffDelay, retryAfterMs, retryDelay } from "../../src/llm/backoff.js";
import { BudgetStop } from "../../src/llm/budget.js";
import { LlmRun, type LlmRunOptions, LlmUnavailableError } from "../../src/llm/client.js";
import { hang, reply, startOpenAiServer, status } from "../helpers/openai-server.js";

const schema = { name: "ops", schema: { type: "object" } };
const req = { messages: [{ role: "user" as const, content: "hello" }], schema, promptTokens: 10 };

function run(url: string, models: string[], extra: Partial<LlmRunOptions> = {}) {
  const waited: number[] = [];
  const llm = new LlmRun({
    baseUrl: url,
    models,
    timeoutMs: 2000,
    maxRetries: 3,
    prices: { cheap: { input: 1, output: 2 }, big: { input: 10, output: 30 } },
    budget: { calls: 100, tokens: 1_000_000, costUsd: 5 },
    backoff: { random: () => 0.5 },
    sleep: async (ms) => {
      waited.push(ms);
    },
    ...extra,
  });
  return { llm, waited };
}

describe("backoff", () => {
  it("doubles with equal jitter and caps", () => {
    expect([1, 2, 3, 4, 10].map((r) => backoffDelay(r, { random: () => 0 }))).toEqual([
      500, 1000, 2000, 4000, 15000,
    ]);
    expect([1, 2, 3].map((r) => backoffDelay(r, { random: () => 1 }))).toEqual([1000, 2000, 4000]);
  });
  it("honours Retry-After in seconds, as a date, and in ms", () => {
    const now = new Date("2026-11-24T12:00:00Z");
    const h = (o: Record<string, string>) => new Headers(o);
    expect(retryAfterMs(h({ "retry-after": "7" }), now)).toBe(7000);
    expect(retryAfterMs(h({ "retry-after": "Tue, 24 Nov 2026 12:00:03 GMT" }), now)).toBe(3000);
    expect(retryAfterMs(h({ "retry-after-ms": "250" }), now)).toBe(250);
    expect(retryAfterMs(h({}), now)).toBeNull();
    expect(retryDelay(1, 7000, { random: () => 0.5 })).toBe(7000);
    expect(retryDelay(3, 100, { random: () => 0.5 })).toBe(3000);
  });
});

describe("LlmRun against a local OpenAI-protocol server", () => {
  it("returns the reply and records usage and cost", async () => {
    const server = await startOpenAiServer({
      cheap: [reply({ ops: [] }, { prompt: 1000, completion: 500 })],
    });
    const { llm } = run(server.url, ["cheap"]);
    const out = await llm.complete("key-a", req, { used: 0, cap: 4 });
    expect(out.content).toBe('{"ops":[]}');
    expect(llm.ledger.totals()).toEqual({
      calls: 1,
      attempts: 1,
      promptTokens: 1000,
      completionTokens: 500,
      costUsd: 0.002,
    });
    expect(server.requests[0]!.authorization).toBe("Bearer key-a");
    expect((server.requests[0]!.body.response_format as { type: string }).type).toBe("json_schema");
  });

  it("retries a 429 after the server's Retry-After, then succeeds", async () => {
    const server = await startOpenAiServer({
      cheap: [status(429, { "retry-after": "2" }), reply({ ops: [] })],
    });
    const { llm, waited } = run(server.url, ["cheap"]);
    await llm.complete("k", req, { used: 0, cap: 4 });
    expect(server.count("cheap")).toBe(2);
    expect(waited).toEqual([2000]);
  });

  it("backs off exponentially on 500s and falls back to the next model within the cap", async () => {
    const server = await startOpenAiServer({ cheap: [status(500)], big: [reply({ ops: [] })] });
    const { llm, waited } = run(server.url, ["cheap", "big"], { breakerAfter: 10 });
    const attempts = { used: 0, cap: 4 };
    const out = await llm.complete("k", req, attempts);
    expect(out.model).toBe("big");
    // cheap gets 3 attempts (one is kept for the fallback), big answers the 4th.
    expect([server.count("cheap"), server.count("big"), attempts.used]).toEqual([3, 1, 4]);
    expect(waited).toEqual([750, 1500]);
  });

  it("treats a timeout as retryable", async () => {
    const server = await startOpenAiServer({ cheap: [hang(5000), reply({ ops: [] })] });
    const { llm } = run(server.url, ["cheap"], { timeoutMs: 200 });
    const out = await llm.complete("k", req, { used: 0, cap: 4 });
    expect(out.content).toBe('{"ops":[]}');
    expect(server.count("cheap")).toBe(2);
  });

  it("a 429 storm on every model makes exactly cap attempts per chunk, opens breakers, then stops", async () => {
    const storm = [status(429, { "retry-after": "1" })];
    const server = await startOpenAiServer({ cheap: storm, big: storm });
    const { llm, waited } = run(server.url, ["cheap", "big"]);
    const first = { used: 0, cap: 4 };
    await expect(llm.complete("k", req, first)).rejects.toBeInstanceOf(LlmUnavailableError);
    expect([server.count("cheap"), server.count("big")]).toEqual([3, 1]);
    expect(llm.openModels()).toEqual(["cheap"]);
    expect(waited).toEqual([1000, 1500]);
    const second = { used: 0, cap: 4 };
    await expect(llm.complete("k", req, second)).rejects.toBeInstanceOf(LlmUnavailableError);
    // big already failed once; its breaker opens at its third consecutive failure.
    expect([server.count("cheap"), server.count("big")]).toEqual([3, 3]);
    expect(llm.openModels()).toEqual(["cheap", "big"]);
    await expect(llm.complete("k", req, { used: 0, cap: 4 })).rejects.toThrow(/every model is failing/);
    expect(server.count()).toBe(6);
  });

  it("stops on the call budget before sending a request over it", async () => {
    const server = await startOpenAiServer({ cheap: [status(429)] });
    const { llm } = run(server.url, ["cheap"], {
      budget: { calls: 2, tokens: 1e6, costUsd: 5 },
      breakerAfter: 10,
    });
    await expect(llm.complete("k", req, { used: 0, cap: 4 })).rejects.toBeInstanceOf(BudgetStop);
    expect(server.count()).toBe(2);
  });

  it("stops on the cost budget", async () => {
    const server = await startOpenAiServer({ big: [reply({ ops: [] }, { prompt: 10_000, completion: 0 })] });
    const { llm } = run(server.url, ["big"], { budget: { calls: 100, tokens: 1e7, costUsd: 0.5 } });
    for (let i = 0; i < 5; i++) await llm.complete("k", req, { used: 0, cap: 4 });
    await expect(llm.complete("k", req, { used: 0, cap: 4 })).rejects.toThrow(/budget of \$0.5/);
    expect(server.count()).toBe(5);
  });

  it("opens the breaker at once on 401 and uses the fallback", async () => {
    const server = await startOpenAiServer({ cheap: [status(401)], big: [reply({ ops: [] })] });
    const { llm } = run(server.url, ["cheap", "big"]);
    expect((await llm.complete("k", req, { used: 0, cap: 4 })).model).toBe("big");
    expect(llm.openModels()).toEqual(["cheap"]);
  });

  it("falls back to json_object when the endpoint rejects json_schema", async () => {
    const server = await startOpenAiServer({
      cheap: [
        status(400, {}, { error: { message: "response_format json_schema is not supported" } }),
        reply({ ops: [] }),
      ],
    });
    const { llm } = run(server.url, ["cheap"]);
    await llm.complete("k", req, { used: 0, cap: 4 });
    expect(server.requests.map((r) => (r.body.response_format as { type: string }).type)).toEqual([
      "json_schema",
      "json_object",
    ]);
  });
});
