import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { describe, expect, it } from "vitest";
import { buildAudit } from "../../src/audit/build.js";
import { auditHtml } from "../../src/audit/report-html.js";
import { auditMarkdown } from "../../src/audit/report-md.js";
import { run as status } from "../../src/cli/commands/status.js";
import { runDedup } from "../../src/dedup/run.js";
import { createMcpServer } from "../../src/mcp/server.js";
import { recordRetrieval, recordSearch } from "../../src/search/record.js";
import { openSearch } from "../../src/search/search.js";
import { kbInProcess, makeContext, type TestContext } from "../helpers/index.js";

const doc = (fm: string, body: string) => `---\n${fm}\n---\n\n${body}\n`;
const brain = {
  // Expired on 2026-10-01 (reviewed 2026-07-01, every 3 months).
  "finance/payouts.md": doc(
    "title: Payouts\nowner: '@lars'\nlast_reviewed: 2026-07-01\nreview_every: 3mo",
    "## Payouts\n\n- Adyen pays out daily.\n- Payouts land in the EUR account.",
  ),
  // Expired on 2026-11-01.
  "customer-service/returns.md": doc(
    "title: Returns\nowner: '@sofie'\nlast_reviewed: 2026-08-01\nreview_every: 3mo",
    "## Returns\n\n- Returns are accepted within 30 days of delivery.",
  ),
  "company/stores.md": doc(
    "title: Stores\nowner: '@ingrid'\nlast_reviewed: 2026-11-01",
    "## Stores\n\n- The Oslo store opens at 10:00.",
  ),
};

const reads = (ctx: TestContext) =>
  ctx
    .db()
    .prepare(
      "SELECT s.source, s.tool, s.caller, r.path, r.fact FROM reads r JOIN searches s ON s.id = r.search_id ORDER BY r.rowid",
    )
    .all();

/** An MCP client on the in-process server, calling as `caller`. */
async function mcpClient(ctx: TestContext, caller: string | null) {
  const [a, b] = InMemoryTransport.createLinkedPair();
  await createMcpServer(ctx, "9.9.9", { caller }).connect(a);
  const client = new Client({ name: "t", version: "1" });
  await client.connect(b);
  return client;
}

function read(ctx: TestContext, at: string, path: string, caller = "hub") {
  recordRetrieval(ctx.db(), {
    at,
    brain: ctx.config.brain,
    source: "mcp",
    tool: "read_file",
    caller,
    query: path,
    returned: [{ path, line: null, fact: null }],
    bestScore: null,
    coverage: 1,
    weak: false,
  });
}

describe("what agents read", () => {
  it("keeps each MCP search and file read with the caller and the facts or file returned; outline is not a read", async () => {
    const ctx = makeContext({ brain, asOf: "2026-11-24" });
    const client = await mcpClient(ctx, "cs-agent");
    await client.callTool({ name: "search", arguments: { query: "Adyen payouts" } });
    await client.callTool({ name: "read_file", arguments: { path: "customer-service/returns.md" } });
    await client.callTool({ name: "outline", arguments: {} });
    await client.close();
    expect(reads(ctx)).toEqual([
      {
        source: "mcp",
        tool: "search",
        caller: "cs-agent",
        path: "finance/payouts.md",
        fact: "Adyen pays out daily.",
      },
      {
        source: "mcp",
        tool: "search",
        caller: "cs-agent",
        path: "finance/payouts.md",
        fact: "Payouts land in the EUR account.",
      },
      {
        source: "mcp",
        tool: "read_file",
        caller: "cs-agent",
        path: "customer-service/returns.md",
        fact: null,
      },
    ]);
    // A read is not a question: it never shows as unanswered.
    const kept = ctx.db().prepare("SELECT tool, weak FROM searches ORDER BY id").all();
    expect(kept).toEqual([
      { tool: "search", weak: 0 },
      { tool: "read_file", weak: 0 },
    ]);
  });

  it("ranks stale files by reads this month in the audit and kb status, most read first", async () => {
    const ctx = makeContext({ brain, asOf: "2026-11-24" });
    for (let i = 0; i < 3; i++) read(ctx, "2026-11-20T10:00:00.000Z", "customer-service/returns.md");
    for (let i = 0; i < 5; i++) read(ctx, "2026-11-21T10:00:00.000Z", "finance/payouts.md", "finance-agent");
    read(ctx, "2026-11-22T10:00:00.000Z", "company/stores.md"); // current: not on the stale list
    read(ctx, "2026-09-01T10:00:00.000Z", "customer-service/returns.md"); // before this month: not counted
    const report = await buildAudit(ctx);
    expect(report.reads.staleRead).toEqual([
      { path: "finance/payouts.md", owner: "@lars", reads: 5, daysOverdue: 54 },
      { path: "customer-service/returns.md", owner: "@sofie", reads: 3, daysOverdue: 23 },
    ]);
    // Reads kept since 2026-09-01: under 90 days, so no file is called unread yet.
    expect(report.reads.unread).toBeNull();
    const md = auditMarkdown(report);
    expect(
      md.slice(md.indexOf("## Stale files agents read"), md.indexOf("## Files to act on")).trim(),
    ).toMatchInlineSnapshot(`
        "## Stale files agents read

        Expired or marked for review, and still returned to agents this month (kb search, kb mcp, OpenClaw memory tools). Review these first.

        - [ ] \`finance/payouts.md\`: read 5 times this month, 54 days past review (@lars)
        - [ ] \`customer-service/returns.md\`: read 3 times this month, 23 days past review (@sofie)"
      `);
    expect(md).not.toContain("## Never read");
    expect(auditHtml(report)).toContain(
      "<li>finance/payouts.md: read 5 times this month, 54 days past review (@lars)</li>",
    );
    const out = await status(ctx, { args: [], opts: {} });
    expect(out.text).toContain(
      "stale files agents read most this month (review these first):\n  finance/payouts.md: read 5 times this month, 54 days past review (@lars)\n  customer-service/returns.md: read 3 times this month, 23 days past review (@sofie)\nmost read this month:\n  finance/payouts.md: read 5 times (finance-agent)\n",
    );
  });

  it("lists files no one read in 90 days once reads have been kept that long", async () => {
    const ctx = makeContext({ brain, asOf: "2026-11-24" });
    read(ctx, "2026-08-01T10:00:00.000Z", "company/stores.md"); // reads kept since August
    read(ctx, "2026-11-02T10:00:00.000Z", "customer-service/returns.md");
    const report = await buildAudit(ctx);
    expect(report.reads.unread).toEqual(["company/stores.md", "finance/payouts.md"]);
    const md = auditMarkdown(report);
    expect(md).toContain(
      "## Never read in 90 days\n\nNo search, file read or memory tool returned these in the last 90 days (reads kept since 2026-08-01).",
    );
    expect(md).toContain("- `company/stores.md`\n- `finance/payouts.md`\n");
    const out = await status(ctx, { args: [], opts: {} });
    expect(out.text).toContain(
      "never read in 90 days (2; archive candidates, kb audit lists them all):\n  company/stores.md\n  finance/payouts.md",
    );
  });

  it("dedup keeps the version agents read when two are otherwise alike", async () => {
    const twins = {
      "company/a.md": doc(
        "title: A\nowner: '@ingrid'",
        "## Stores\n\n- The Oslo store opens at 10:00 on Saturdays.",
      ),
      "company/b.md": doc(
        "title: B\nowner: '@ingrid'",
        "## Stores\n\n- The Oslo store opens at 10:00 on Saturdays.",
      ),
    };
    const survivor = async (readB: boolean) => {
      const ctx = makeContext({ brain: twins, asOf: "2026-11-24", config: { dedup: { maxRemoveShare: 1 } } });
      if (readB)
        recordRetrieval(ctx.db(), {
          at: "2026-11-20T10:00:00.000Z",
          brain: ctx.config.brain,
          source: "mcp",
          tool: "search",
          caller: "hub",
          query: "Oslo Saturday",
          returned: [{ path: "company/b.md", line: 7, fact: "The Oslo store opens at 10:00 on Saturdays." }],
          bestScore: 1,
          coverage: 1,
          weak: false,
        });
      const [result] = await runDedup(ctx, { scope: "all", dryRun: true });
      return result!.removed.map((r) => [r.path, r.keptPath]);
    };
    expect(await survivor(false)).toEqual([["company/b.md", "company/a.md"]]);
    expect(await survivor(true)).toEqual([["company/a.md", "company/b.md"]]);
  });

  it("drops searches and reads older than search.keepDays at each audit", async () => {
    const ctx = makeContext({ brain, asOf: "2026-11-24" });
    read(ctx, "2025-09-01T10:00:00.000Z", "company/stores.md"); // 449 days before: past the 400 kept
    read(ctx, "2026-11-20T10:00:00.000Z", "finance/payouts.md");
    const audit = await kbInProcess(["audit", "--as-of", "2026-11-24"], ctx.root);
    expect(audit.stderr).not.toContain("error");
    expect(reads(ctx).map((r) => r.path)).toEqual(["finance/payouts.md"]);
    expect(ctx.db().prepare("SELECT count(*) FROM searches").pluck().get()).toBe(1);
  });

  it("search.record: false keeps no search and no read on this host", async () => {
    const ctx = makeContext({ brain, asOf: "2026-11-24", config: { search: { record: false } } });
    const client = await mcpClient(ctx, "hub");
    await client.callTool({ name: "search", arguments: { query: "Adyen" } });
    await client.callTool({ name: "read_file", arguments: { path: "finance/payouts.md" } });
    await client.close();
    const cli = await kbInProcess(["search", "Adyen"], ctx.root);
    expect(cli.code).toBe(0);
    expect(ctx.db().prepare("SELECT count(*) FROM searches").pluck().get()).toBe(0);
    const out = await status(ctx, { args: [], opts: {} });
    expect(out.text).toContain("reads: not kept on this host (search.record: false)");
  });

  it("over stdio, without a token, the caller is the name the MCP client gave", async () => {
    const ctx = makeContext({ brain, asOf: "2026-11-24" });
    const client = await mcpClient(ctx, null);
    await client.callTool({ name: "read_file", arguments: { path: "company/stores.md" } });
    await client.close();
    expect(reads(ctx)).toEqual([
      { source: "mcp", tool: "read_file", caller: "t", path: "company/stores.md", fact: null },
    ]);
  });

  it("a kb search from the command line is a read by cli", async () => {
    const ctx = makeContext({ brain, asOf: "2026-11-24" });
    recordSearch(ctx.db(), ctx.clock.now().toISOString(), "cli", openSearch(ctx).search("Oslo store"));
    expect(reads(ctx)).toEqual([
      {
        source: "cli",
        tool: "search",
        caller: null,
        path: "company/stores.md",
        fact: "The Oslo store opens at 10:00.",
      },
    ]);
    // kb why tells it too.
    const why = await kbInProcess(["why", "The Oslo store opens at 10:00."], ctx.root);
    expect(why.stdout).toContain("  read: read once, last 2026-11-24 12:00Z (cli)\n");
  });
});
