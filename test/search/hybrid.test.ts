import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { openSearch } from "../../src/search/search.js";
import { DB_FILE } from "../../src/state/db.js";
import { testEmbedding } from "../helpers/embedder.js";
import { makeContext, makeTree, runKb, tempDir } from "../helpers/index.js";
import { stdioClient } from "../helpers/mcp-http.js";
import { type OpenAiServer, startOpenAiServer, status } from "../helpers/openai-server.js";

const doc = (title: string, body: string) =>
  `---\ntitle: ${title}\nowner: '@sofie'\nlast_reviewed: 2026-11-01\nreview_every: 3mo\n---\n\n## ${title}\n\n${body}\n`;

const brain = {
  "customer-service/gift-cards.md": doc(
    "Gift cards",
    "- Gift cards are valid for 3 years from purchase.\n- The balance can be checked at any till.",
  ),
  "customer-service/returns.md": doc(
    "Returns",
    "- Returns are accepted within 30 days of delivery.\n- Sale items can be returned within 14 days.",
  ),
  "company/stores.md": doc(
    "Stores",
    ["Oslo", "Tokyo", "Hamburg", "Aarhus"].map((c) => `- The ${c} store opens at 10:00.`).join("\n"),
  ),
};

/** Shares no word with any gift-card fact: only a model that knows a voucher is a gift card finds it. */
const VOUCHER = "How long is a voucher good for?";

function setup(embeddings?: Record<string, unknown>) {
  const root = tempDir();
  makeTree(brain, join(root, "brain"));
  const config = {
    host: "test",
    brain: "./brain",
    state: "./state",
    reports: "./reports",
    ...(embeddings ? { search: { embeddings } } : {}),
  };
  writeFileSync(join(root, "kb.config.yaml"), JSON.stringify(config));
  const kb = (...args: string[]) =>
    runKb(["--config", join(root, "kb.config.yaml"), "--as-of", "2026-11-24", ...args], { cwd: root });
  return { root, kb };
}

const embedServer = (fail?: (n: number) => ReturnType<typeof status> | null) =>
  startOpenAiServer({}, status(500), { embed: (t) => testEmbedding(t), fail });

const search = async (kb: ReturnType<typeof setup>["kb"], query: string) => {
  const out = await kb("--json", "search", "--no-record", query);
  expect(out.code, out.stderr).toBe(0);
  return JSON.parse(out.stdout) as {
    hits: { text: string; file: string; via?: string }[];
    hybrid?: { model: string; embedded: number; vectors: number };
    warning?: string;
  };
};

describe("kb search with search.embeddings (hybrid retrieval)", () => {
  it("is off by default: BM25 alone, no request to any embeddings endpoint", async () => {
    const server = await embedServer();
    const { kb } = setup();
    const result = await search(kb, VOUCHER);
    expect(server.embeddingRequests).toBe(0);
    expect(result.hybrid).toBeUndefined();
    expect(result.hits.map((h) => h.text)).not.toContain("Gift cards are valid for 3 years from purchase.");
  });

  it("answers a question that shares no word with its fact, and says per hit which ranking found it", async () => {
    const server = await embedServer();
    const { kb } = setup({ baseUrl: server.url, model: "test-embed" });
    const result = await search(kb, VOUCHER);
    expect(result.warning).toBeUndefined();
    expect(result.hits[0]).toMatchObject({
      text: "Gift cards are valid for 3 years from purchase.",
      via: "vector",
    });
    const both = await search(kb, "returns accepted within 30 days");
    expect(both.hits[0]).toMatchObject({
      text: "Returns are accepted within 30 days of delivery.",
      via: "both",
    });
    // The question went to the endpoint as typed, with no key for a keyless local server.
    expect(server.embedded).toContain(VOUCHER);
  });

  it("embeds only facts whose text is new: an unchanged brain costs the query alone, an edit its new facts", async () => {
    const server = await embedServer();
    const { root, kb } = setup({ baseUrl: server.url, model: "test-embed", batchSize: 3 });
    const first = await search(kb, VOUCHER);
    // 8 facts in batches of 3, then the query.
    expect(first.hybrid).toEqual({ model: "test-embed", embedded: 8, vectors: 8 });
    expect(server.embeddingRequests).toBe(4);
    expect(server.embedded.length).toBe(9);

    const again = await search(kb, VOUCHER);
    expect(again.hybrid?.embedded).toBe(0);
    expect(server.embedded.slice(9)).toEqual([VOUCHER]);

    writeFileSync(
      join(root, "brain/customer-service/gift-cards.md"),
      doc(
        "Gift cards",
        "- Gift cards are valid for 5 years from purchase.\n- The balance can be checked at any till.",
      ),
    );
    const edited = await search(kb, VOUCHER);
    expect(server.embedded.slice(10)).toEqual(["Gift cards are valid for 5 years from purchase.", VOUCHER]);
    expect(edited.hits[0]?.text).toBe("Gift cards are valid for 5 years from purchase.");
    // The replaced fact's vector is dropped with it.
    const db = new Database(join(root, "state", DB_FILE), { readonly: true });
    expect(db.prepare("SELECT count(*) FROM search_vectors").pluck().get()).toBe(8);
    db.close();
    expect(edited.hybrid).toEqual({ model: "test-embed", embedded: 1, vectors: 8 });
  });

  it("falls back to BM25 with a warning, exit 0, when the endpoint answers 500 after its retries", async () => {
    const server = await embedServer(() => status(500));
    const { kb } = setup({ baseUrl: server.url, model: "test-embed", maxRetries: 1 });
    const out = await kb("search", "--no-record", "returns accepted within 30 days");
    expect(out.code, out.stderr).toBe(0);
    expect(server.embeddingRequests).toBe(2);
    const lines = out.stdout.split("\n");
    expect(lines[0]).toMatch(
      /^warning: hybrid search unavailable, BM25 results only: http:\/\/127\.0\.0\.1:\d+\/v1 \(model test-embed\): HTTP 500 .* after 2 attempts$/,
    );
    expect(lines[1]).toBe("1. Returns are accepted within 30 days of delivery.");
  });

  it("embeds new facts once when searches arrive together (the MCP HTTP server shares one searcher)", async () => {
    const server = await embedServer();
    const ctx = makeContext({
      brain,
      config: { search: { embeddings: { baseUrl: server.url, model: "test-embed" } } },
    });
    const searcher = openSearch(ctx);
    const results = await Promise.all(
      [VOUCHER, "returns accepted within 30 days", "store opening hours"].map((q) =>
        searcher.searchHybrid(q),
      ),
    );
    expect(results.map((r) => r.warning)).toEqual([undefined, undefined, undefined]);
    expect(server.embedded.length).toBe(8 + 3);
    expect(results.map((r) => r.hybrid?.embedded).sort()).toEqual([0, 0, 8]);
  });

  it("waits out a 429 with Retry-After and answers with the fused ranking", async () => {
    const server = await embedServer((n) => (n === 0 ? status(429, { "retry-after-ms": "50" }) : null));
    const { kb } = setup({ baseUrl: server.url, model: "test-embed" });
    const result = await search(kb, VOUCHER);
    expect(result.warning).toBeUndefined();
    expect(server.embeddingRequests).toBe(3);
    expect(result.hits[0]).toMatchObject({
      text: "Gift cards are valid for 3 years from purchase.",
      via: "vector",
    });
  });

  it("falls back to BM25 with a warning when nothing listens at the endpoint", async () => {
    const server = await embedServer();
    await server.close();
    const { kb } = setup({ baseUrl: server.url, model: "test-embed", maxRetries: 0 });
    const result = await search(kb, "returns accepted within 30 days");
    expect(result.warning).toMatch(/^hybrid search unavailable, BM25 results only: .*connection failed/);
    expect(result.hits[0]).toMatchObject({ text: "Returns are accepted within 30 days of delivery." });
    expect(result.hits[0]?.via).toBeUndefined();
    expect(result.hybrid).toBeUndefined();
  });

  it("falls back when the model answers the query with vectors of another size than the facts'", async () => {
    const server = await startOpenAiServer({}, status(500), {
      embed: (t) => testEmbedding(t, t.endsWith("?") ? 64 : 1024),
    });
    const { kb } = setup({ baseUrl: server.url, model: "test-embed", maxRetries: 0 });
    const result = await search(kb, VOUCHER);
    expect(result.warning).toBe(
      "hybrid search unavailable, BM25 results only: model test-embed returned a query vector of 64 dimensions where the facts' have 1024",
    );
  });
});

describe("kb doctor with search.embeddings", () => {
  it("says whether the endpoint answers and how much of the brain is embedded", async () => {
    const server = await embedServer();
    const { kb } = setup({ baseUrl: server.url, model: "test-embed", maxRetries: 0 });
    await search(kb, VOUCHER);
    const line = (out: { stdout: string }) =>
      out.stdout.split("\n").find((l) => /^\S+\s+embeddings:/.test(l));
    expect(line(await kb("doctor"))).toBe(
      `ok    embeddings: search.embeddings test-embed at ${server.url} answers (1024 dimensions); 8 of 8 indexed facts embedded`,
    );
    await server.close();
    expect(line(await kb("doctor"))).toMatch(
      /^warn {2}embeddings: search\.embeddings does not answer: .* \(model test-embed\): connection failed/,
    );
  });
});

describe("kb mcp's search tool with search.embeddings", () => {
  it("answers with the fused ranking, and in BM25's alone with a warning once the endpoint is gone", async () => {
    const server = await embedServer();
    const { root } = setup({ baseUrl: server.url, model: "test-embed", maxRetries: 0 });
    const client = await stdioClient(root, ["--no-record"]);
    const ask = async () => {
      const r = await client.callTool({ name: "search", arguments: { query: VOUCHER, k: 3 } });
      expect(r.isError).toBeFalsy();
      return r as {
        content: { text: string }[];
        structuredContent: { hits: { text: string; via?: string }[]; warning?: string };
      };
    };
    const fused = await ask();
    expect(fused.structuredContent.hits[0]).toMatchObject({
      text: "Gift cards are valid for 3 years from purchase.",
      via: "vector",
    });
    await server.close();
    const lexical = await ask();
    expect(lexical.structuredContent.warning).toMatch(
      /^hybrid search unavailable, BM25 results only: .*connection failed/,
    );
    expect(lexical.content[0]!.text).toMatch(/^warning: hybrid search unavailable/);
  }, 30_000);
});

describe("kb eval recall with search.embeddings", () => {
  it("reports lexical and hybrid recall side by side", async () => {
    const server: OpenAiServer = await embedServer();
    const { kb } = setup({ baseUrl: server.url, model: "test-embed" });
    const set = makeTree({
      "questions.yaml": [
        "- id: voucher",
        `  question: ${VOUCHER}`,
        "  answer: valid for 3 years",
        "- id: returns",
        "  question: How many days do I have to return an order?",
        "  answer: within 30 days",
      ].join("\n"),
    });
    const out = await kb("eval", "recall", "--set", set);
    expect(out.code, out.stderr).toBe(0);
    const lines = out.stdout.split("\n");
    expect(lines.find((l) => l.startsWith("lexical (BM25):"))).toMatch(/^lexical \(BM25\): {2}recall@6 50%/);
    expect(lines.find((l) => l.startsWith("hybrid (test-embed):"))).toMatch(
      /^hybrid \(test-embed\): {2}recall@6 100%/,
    );
    expect(out.stdout).toContain("missed, lexical: voucher; hybrid: none");
    const report = readFileSync(lines.find((l) => l.startsWith("report "))!.slice(7), "utf8");
    expect(report).toContain("| kb, lexical (BM25) | 50% |");
    expect(report).toContain("| kb, hybrid (test-embed) | 100% |");
    expect(report).toMatch(/\| voucher \| miss \| 1 \|/);
  });
});
