import { writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { type MineData, run as mineJob } from "../../jobs/mine.js";
import { run as acceptCmd } from "../../src/cli/commands/accept.js";
import { run as mineCmd } from "../../src/cli/commands/mine.js";
import { run as rejectCmd } from "../../src/cli/commands/reject.js";
import { gitOut } from "../../src/runtime/git.js";
import { reply, startOpenAiServer } from "../helpers/openai-server.js";
import { mineEnv, OC_HEADER, ocLine } from "./env.js";

const LOG =
  OC_HEADER +
  ocLine(
    "c0000001",
    null,
    "2026-11-20T09:01:00.000Z",
    "user",
    "Adyen pays out daily to the Danske Bank EUR account in Copenhagen. Card payments settle in EUR within two banking days.",
  ) +
  ocLine(
    "c0000002",
    "c0000001",
    "2026-11-20T09:02:00.000Z",
    "user",
    "Sale items can be returned within 14 days.",
  );

describe("kb mine command", () => {
  it("without an LLM says exactly what to set (config error, exit 2); --dry-run shows the plan without one", async () => {
    const ctx = await mineEnv({ logs: { "finance/s.jsonl": LOG } });
    const error = await mineCmd(ctx, { args: [], opts: {} }).catch((e) => e);
    expect(error.exitCode).toBe(2);
    expect(error.message.replace(ctx.root, "<root>")).toMatchInlineSnapshot(`
      "kb mine needs an LLM. Set in <root>/kb.config.yaml:
        llm.baseUrl (an OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1)
        llm.models (the model chain, cheapest first, e.g. [small-model, large-model])
      and the API key variable: llm.apiKeyEnv (or mine.sources[].apiKeyEnv per agent). \`kb mine --dry-run\` shows the plan without one."
    `);
    const plan = await mineCmd(ctx, { args: [], opts: { dryRun: true } });
    expect((plan.data as { totals: { chunks: number } }).totals.chunks).toBe(1);
    expect(plan.text.replace(/~\d+ (prompt )?tokens/g, "~N $1tokens")).toMatchInlineSnapshot(`
      "mine plan: 1 chunk, ~N prompt tokens, ~$0.0000 (no llm.models set); 2 of 2 new entries kept
        finance  logs/finance/s.jsonl  2 entries  ~N tokens  ~$0.0000
      dry run: no LLM call, nothing written"
    `);
  });

  it("repairs a malformed reply once, counted against the cap, and turns duplicates into no-ops", async () => {
    const llm = await startOpenAiServer({
      cheap: [
        reply("Sure! Here are the ops: {ops: [add]}"),
        reply({
          ops: [
            {
              op: "add",
              path: "customer-service/policies/returns.md",
              section: "Returns",
              text: "Sale items can be returned within 14 days.",
              evidence: "Sale items can be returned within 14 days.",
            },
            {
              op: "add",
              path: "finance/payments.md",
              section: "Payouts",
              text: "Adyen pays out daily to the Danske Bank EUR account in Copenhagen.",
              evidence: "Adyen pays out daily to the Danske Bank EUR account in Copenhagen.",
            },
          ],
        }),
      ],
    });
    const ctx = await mineEnv({ llmUrl: llm.url, logs: { "finance/s.jsonl": LOG } });
    const out = await mineCmd(ctx, { args: [], opts: { mode: "apply" } });
    const data = out.data as MineData;
    expect(data.llm).toMatchObject({ calls: 2, attempts: 2 });
    const repair = (llm.requests[1]!.body.messages as { role: string; content: string }[]).at(-1)!;
    expect(repair.content).toMatch(/^That reply is not valid: not JSON/);
    expect(data.ops.map((o) => [o.op, o.path, o.supersedes])).toEqual([
      ["duplicate", "customer-service/policies/returns.md", "Sale items can be returned within 14 days."],
      ["enrich", "finance/payments.md", "Adyen pays out daily to the Danske Bank EUR account."],
    ]);
    expect(await gitOut(["-C", ctx.root, "show", "HEAD:brain/finance/payments.md"])).toContain(
      "- Adyen pays out daily to the Danske Bank EUR account in Copenhagen. <!-- kb: finance 2026-11-20 s-1/c0000001 -->",
    );
    expect(await gitOut(["-C", ctx.root, "log", "-1", "--format=%s"])).toBe(
      "kb mine: 1 change(s) from finance",
    );
    expect(out.text.replace(ctx.root, "<root>")).toMatchInlineSnapshot(`
      "mine: 0 added, 1 superseded, 1 already known, 0 rejected from 2/2 new entries; 2 LLM calls, $0.0003
      report <root>/reports/mine/mine-2026-11-24.md"
    `);
  });

  it("a schema violation twice is recorded as a rejection and the chunk is not retried again", async () => {
    const bad = reply({ ops: [{ op: "add", path: 7 }] });
    const llm = await startOpenAiServer({ cheap: [bad, bad, bad] });
    const ctx = await mineEnv({ llmUrl: llm.url, logs: { "finance/s.jsonl": LOG } });
    const data = (await mineJob(ctx, { mode: "apply" })).data as MineData;
    expect(llm.count()).toBe(2);
    expect(data.rejected).toMatchInlineSnapshot(`
      [
        {
          "detail": "cheap: does not match the schema at ops.0.path: Invalid input: expected string, received number",
          "reason": "REPLY_INVALID",
        },
      ]
    `);
    const rows = ctx.db().prepare("SELECT reason FROM mine_rejections").all();
    expect(rows).toEqual([{ reason: "REPLY_INVALID" }]);
  });

  it("uses each agent's own API key and puts the entry timestamps in the prompt", async () => {
    const llm = await startOpenAiServer({ cheap: [reply({ ops: [] })] });
    const ctx = await mineEnv({
      llmUrl: llm.url,
      logs: { "finance/s.jsonl": LOG, "cs/s.jsonl": LOG.replaceAll("c00000", "d00000") },
      sources: [
        {
          agent: "finance",
          kind: "openclaw-jsonl",
          path: "./logs/finance",
          apiKeyEnv: "KB_TEST_FINANCE_KEY",
        },
        { agent: "cs", kind: "openclaw-jsonl", path: "./logs/cs" },
      ],
      llm: { apiKeyEnv: "KB_TEST_DEFAULT_KEY" },
    });
    process.env.KB_TEST_FINANCE_KEY = "finance-key";
    process.env.KB_TEST_DEFAULT_KEY = "default-key";
    await mineJob(ctx, { mode: "apply" });
    expect(llm.requests.map((r) => r.authorization)).toEqual(["Bearer finance-key", "Bearer default-key"]);
    const prompt = (llm.requests[0]!.body.messages as { content: string }[])[1]!.content;
    expect(prompt).toContain(
      "[2026-11-20 09:01 user] Adyen pays out daily to the Danske Bank EUR account in Copenhagen. Card payments settle in EUR within two banking days.",
    );
    delete process.env.KB_TEST_FINANCE_KEY;
    const error = await mineJob(ctx, {}).catch((e) => e);
    expect(error.message).toMatchInlineSnapshot(
      `"environment variable KB_TEST_FINANCE_KEY (named by mine.sources (agent finance).apiKeyEnv) is not set or empty"`,
    );
  });

  it("reads the OpenClaw SQLite store read-only and names a foreign schema", async () => {
    const llm = await startOpenAiServer({ cheap: [reply({ ops: [] })] });
    const ctx = await mineEnv({
      llmUrl: llm.url,
      sources: [{ agent: "finance", kind: "openclaw-sqlite", path: "./logs/agent/openclaw-agent.sqlite" }],
    });
    const { mkdirSync } = await import("node:fs");
    mkdirSync(join(ctx.logsDir, "agent"));
    const store = new Database(join(ctx.logsDir, "agent/openclaw-agent.sqlite"));
    store.exec(
      "CREATE TABLE transcript_events (session_id TEXT, seq INTEGER, event_json TEXT, created_at TEXT)",
    );
    const insert = store.prepare("INSERT INTO transcript_events VALUES ('s', ?, ?, '')");
    for (const [i, line] of LOG.split("\n").filter(Boolean).entries()) insert.run(i, line);
    store.close();
    let data = (await mineJob(ctx, { mode: "apply" })).data as MineData;
    expect(data.entries).toEqual({ read: 2, mined: 2, skipped: 0 });
    data = (await mineJob(ctx, { mode: "apply" })).data as MineData;
    expect(data.entries.read).toBe(0);
    expect(llm.count()).toBe(1);

    writeFileSync(join(ctx.logsDir, "agent/openclaw-agent.sqlite"), "");
    const foreign = new Database(join(ctx.logsDir, "agent/openclaw-agent.sqlite"));
    foreign.exec("CREATE TABLE transcript_events (id INTEGER, body TEXT)");
    foreign.close();
    const error = await mineJob(ctx, { mode: "apply" }).catch((e) => e);
    expect(error.message.replace(ctx.root, "<root>")).toMatchInlineSnapshot(
      `"<root>/logs/agent/openclaw-agent.sqlite: not an OpenClaw agent store kb understands: expected table transcript_events with columns session_id, seq, event_json [, event_zstd] (OpenClaw agent schemas 4–23), found id, body"`,
    );
  });

  it("kb accept merges a review branch, kb reject drops one (kept under refs/kb/rejected)", async () => {
    const add = (text: string) =>
      reply({ ops: [{ op: "add", path: "finance/payments.md", section: "Payouts", text, evidence: text }] });
    const llm = await startOpenAiServer({ cheap: [add("Payouts are reconciled every Monday.")] });
    const said = (id: string, parent: string, day: string) =>
      ocLine(
        `c000000${id}`,
        `c000000${parent}`,
        `2026-11-2${id}T09:00:00.000Z`,
        "user",
        `Payouts are reconciled every ${day}.`,
      );
    const ctx = await mineEnv({
      llmUrl: llm.url,
      logs: { "finance/s.jsonl": LOG + said("3", "2", "Monday") },
    });
    const data = (await mineJob(ctx, {})).data as MineData;
    const branch = data.branch!;
    const dry = await acceptCmd(ctx, { args: [branch], opts: { dryRun: true } });
    expect(dry.text).toMatchInlineSnapshot(`
      "would merge kb/mine/2026-11-24-test: 1 commit(s), 1 file(s)
        brain/finance/payments.md"
    `);
    await acceptCmd(ctx, { args: [branch], opts: {} });
    expect(await gitOut(["-C", ctx.root, "show", "HEAD:brain/finance/payments.md"])).toContain(
      "Payouts are reconciled every Monday.",
    );
    expect(await gitOut(["-C", ctx.root, "branch", "--list", "kb/*"])).toBe("");

    llm.script.cheap = [add("Payouts are reconciled every Friday.")];
    writeFileSync(
      join(ctx.logsDir, "finance/s.jsonl"),
      LOG + said("3", "2", "Monday") + said("4", "3", "Friday"),
    );
    await mineJob(ctx, {});
    const rejected = await rejectCmd(ctx, { args: [branch], opts: {} });
    expect(rejected.text).toMatchInlineSnapshot(
      `"dropped kb/mine/2026-11-24-test (1 commit(s)); its tip is kept as refs/kb/rejected/kb/mine/2026-11-24-test"`,
    );
    expect(await gitOut(["-C", ctx.root, "show", "HEAD:brain/finance/payments.md"])).not.toContain("Friday");
    const bad = await rejectCmd(ctx, { args: ["main"], opts: {} }).catch((e) => e);
    expect(bad.message).toMatchInlineSnapshot(
      `""main" is not a kb review branch; expected a name like kb/mine/2026-11-24-vps"`,
    );
  });
});
