import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createContext } from "../src/runtime/context.js";
import { silentLogger } from "../src/runtime/log.js";
import { openSearch } from "../src/search/search.js";
import { rng, standardBrain } from "./generate.js";
import { round, time } from "./measure.js";
import type { BenchOptions, BenchRow } from "./types.js";

const DIMENSIONS = 256;

/**
 * Hybrid search (`search.embeddings`) on the 200k-fact brain: the first search, which embeds every
 * fact through an OpenAI-compatible `/v1/embeddings` server on loopback, then warm query latency
 * with the vector ranking fused in, next to the same queries on BM25 alone in the same run. The
 * server hashes words into 256 dimensions: a stand-in for a model (none runs here), so the figures
 * are kb's cost — HTTP, storing, holding and comparing vectors — not a model's.
 */
export async function bench(options: BenchOptions): Promise<BenchRow[]> {
  const brain = join(options.tmp, "hybrid-brain");
  const { facts, label } = await standardBrain(brain, options);
  const server = await embeddingsServer();
  const config = join(options.tmp, "hybrid.kb.yaml");
  writeFileSync(
    config,
    JSON.stringify({
      brain,
      state: join(options.tmp, "hybrid-state"),
      host: "bench",
      search: { embeddings: { baseUrl: server.url, model: "bench-hash-256", batchSize: 512 } },
    }),
  );
  const ctx = createContext({ config, asOf: "2026-11-24" }, { env: {}, cwd: options.tmp, log: silentLogger });
  try {
    const searcher = openSearch(ctx);
    searcher.refresh();
    const rssBefore = process.memoryUsage().rss;
    const first = await time(() => searcher.searchHybrid("warehouse opening hours", { k: 6 }));
    const rss = process.memoryUsage().rss - rssBefore;
    const embedRequests = server.requests();
    if (first.value.warning) throw new Error(`hybrid search fell back: ${first.value.warning}`);
    const random = rng(options.seed + 11);
    const texts = searcher.scan().docs.flatMap((d) => d.facts.map((f) => f.text));
    const queries = Array.from({ length: 100 }, () => {
      const words = texts[Math.floor(random() * texts.length)]!.split(/\s+/).filter((w) => w.length > 3);
      return words.slice(0, 3).join(" ") || "returns";
    });
    const hybrid: number[] = [];
    for (const q of queries)
      hybrid.push((await time(() => searcher.searchHybrid(q, { k: 6 }))).seconds * 1000);
    const lexical = queries.map((q) => {
      const started = performance.now();
      searcher.search(q, { k: 6 });
      return performance.now() - started;
    });
    const p = (xs: number[], q: number) =>
      [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
    return [
      {
        area: "search",
        name: `hybrid search p95 (BM25 fused with ${DIMENSIONS}-dim vectors), warm, ${label}`,
        value: round(p(hybrid, 0.95), 1),
        unit: "ms",
        baseline: {
          name: "the same queries on BM25 alone, p95",
          value: round(p(lexical, 0.95), 1),
          unit: "ms",
        },
        note: `p50 ${round(p(hybrid, 0.5), 1)} ms over ${queries.length} queries, each embedded by the loopback server; the first search embedded ${facts.toLocaleString("en")} facts in ${round(first.seconds, 1)} s (${embedRequests} requests of up to 512 texts) and holds their vectors in ${round(rss / 2 ** 20)} MiB; off by default`,
      },
    ];
  } finally {
    ctx.close();
    await server.close();
  }
}

/** A loopback `/v1/embeddings` server: each text a hashed bag of its lower-cased words, `DIMENSIONS` long. */
async function embeddingsServer() {
  let requests = 0;
  const http = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString("utf8");
    });
    req.on("end", () => {
      requests++;
      const { input, model } = JSON.parse(body) as { input: string[] | string; model: string };
      const texts = Array.isArray(input) ? input : [input];
      const data = texts.map((text, index) => ({ object: "embedding", index, embedding: hashed(text) }));
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ object: "list", model, data, usage: { prompt_tokens: 0, total_tokens: 0 } }));
    });
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/v1`,
    requests: () => requests,
    close: () => new Promise<void>((resolve) => http.close(() => resolve())),
  };
}

function hashed(text: string): number[] {
  const v = new Array<number>(DIMENSIONS).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    const h = createHash("md5").update(word).digest();
    v[h.readUInt16LE(0) % DIMENSIONS]! += h[2]! & 1 ? 1 : -1;
  }
  return v;
}
