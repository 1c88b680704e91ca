import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { describe, expect, it } from "vitest";
import { buildAudit } from "../../src/audit/build.js";
import { auditMarkdown } from "../../src/audit/report-md.js";
import { run as status } from "../../src/cli/commands/status.js";
import { createMcpServer } from "../../src/mcp/server.js";
import { recordSearch, unansweredSearches } from "../../src/search/record.js";
import { openSearch } from "../../src/search/search.js";
import { kbInProcess, makeContext } from "../helpers/index.js";

const doc = (fm: string, body: string) => `---\n${fm}\n---\n\n${body}\n`;
const brain = {
  "customer-service/returns.md": doc(
    "title: Returns\nowner: '@sofie'\nlast_reviewed: 2026-11-01\nreview_every: 3mo",
    "## Returns\n\n- Returns are accepted within 30 days of delivery.\n- Sale items can be returned within 14 days.",
  ),
  "company/stores.md": doc(
    "title: Stores\nowner: '@ingrid'\nlast_reviewed: 2026-11-01",
    "## Stores\n\n- The Oslo store opens at 10:00.\n- The Tokyo store opens at 11:00.",
  ),
};

const rows = (ctx: ReturnType<typeof makeContext>) =>
  ctx.db().prepare("SELECT source, query, hits, weak, files FROM searches ORDER BY id").all();

describe("searches kept in the state database", () => {
  it("keeps each search with its hits and whether it was answered, secrets redacted", () => {
    const ctx = makeContext({ brain, asOf: "2026-11-24" });
    const s = openSearch(ctx);
    const at = ctx.clock.now().toISOString();
    recordSearch(ctx.db(), at, "cli", s.search("returns window"));
    recordSearch(
      ctx.db(),
      at,
      "mcp",
      s.search("gift voucher validity token=ghp_abcdefghijklmnopqrstuvwxyz0123456789"),
    );
    recordSearch(ctx.db(), at, "mcp", s.search("Tokyo gift voucher validity"));
    expect(rows(ctx)).toEqual([
      {
        source: "cli",
        query: "returns window",
        hits: 2,
        weak: 0,
        files: JSON.stringify(["customer-service/returns.md:10", "customer-service/returns.md:11"]),
      },
      {
        source: "mcp",
        query: "gift voucher validity token=[REDACTED:github-token]",
        hits: 0,
        weak: 1,
        files: "[]",
      },
      // One of four words: a hit, but not an answer.
      {
        source: "mcp",
        query: "Tokyo gift voucher validity",
        hits: 1,
        weak: 1,
        files: '["company/stores.md:10"]',
      },
    ]);
    expect(JSON.stringify(rows(ctx))).not.toContain("ghp_");
  });

  it("counts a question asked again in another case as one, and lists it in kb status and the audit", async () => {
    const ctx = makeContext({ brain, asOf: "2026-11-24" });
    const s = openSearch(ctx);
    const at = ctx.clock.now().toISOString();
    for (const q of ["gift voucher validity", "Gift voucher validity", "gift voucher validity", "returns"])
      recordSearch(ctx.db(), at, "cli", s.search(q));
    recordSearch(ctx.db(), "2026-11-01T10:00:00.000Z", "cli", s.search("loyalty programme"));
    expect(unansweredSearches(ctx.db(), ctx.config.brain, "2026-11-17T00:00:00.000Z")).toEqual([
      { query: "gift voucher validity", times: 3, last: at, nothingFound: true },
    ]);
    const out = await status(ctx, { args: [], opts: {} });
    expect(out.text.split("\n\n").find((b) => b.startsWith("questions"))).toMatchInlineSnapshot(`
      "questions the brain did not answer this week (kb search, kb mcp, OpenClaw memory search):
        asked 3 times this week, nothing found: “gift voucher validity”"
    `);
    const md = auditMarkdown(await buildAudit(ctx));
    expect(md.slice(md.indexOf("## Questions")).trim()).toMatchInlineSnapshot(`
      "## Questions the brain did not answer

      Asked through \`kb search\`, \`kb mcp\` or an OpenClaw agent's memory search in the last 90 days; no fact answered them. Add the fact, or the word people use (an \`aliases:\` entry or a glossary line).

      - asked 3 times, nothing found: “gift voucher validity”
      - asked once, nothing found: “loyalty programme”"
    `);
  });

  it("keeps what agents ask through the MCP search tool, unless told not to", async () => {
    const ask = async (record: boolean) => {
      const ctx = makeContext({ brain });
      const [a, b] = InMemoryTransport.createLinkedPair();
      const server = createMcpServer(ctx, "9.9.9", { record });
      await server.connect(a);
      const client = new Client({ name: "t", version: "1" });
      await client.connect(b);
      await client.callTool({ name: "search", arguments: { query: "gift voucher" } });
      await client.close();
      return rows(ctx);
    };
    expect(await ask(true)).toMatchObject([{ source: "mcp", query: "gift voucher", hits: 0, weak: 1 }]);
    expect(await ask(false)).toEqual([]);
  });

  it("kb search keeps the search, --no-record keeps nothing, and --json shows the expansion", async () => {
    const ctx = makeContext({
      brain: {
        ...brain,
        "company/glossary.md": doc(
          "title: Glossary\ntags: [glossary]",
          "## Terms\n\n- To return means to send back.",
        ),
      },
    });
    const json = await kbInProcess(
      ["--config", `${ctx.root}/kb.config.yaml`, "search", "--json", "send back sale items"],
      ctx.root,
    );
    expect(json.code).toBe(0);
    const result = JSON.parse(json.stdout);
    expect(result.expanded).toEqual([
      { term: "send back", added: ["return"], from: "company/glossary.md:8" },
    ]);
    expect(result.hits[0].text).toBe("Sale items can be returned within 14 days.");
    await kbInProcess(["--config", `${ctx.root}/kb.config.yaml`, "search", "--no-record", "zebra"], ctx.root);
    expect(rows(ctx)).toMatchObject([{ source: "cli", query: "send back sale items", weak: 0 }]);
  });
});
