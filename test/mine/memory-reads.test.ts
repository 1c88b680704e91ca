import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run as mineJob } from "../../jobs/mine.js";
import { reply, startOpenAiServer } from "../helpers/openai-server.js";
import { BRAIN, mineEnv, OC_HEADER } from "./env.js";

/**
 * OpenClaw before 2026.9 called memory tools directly: the call in the assistant's message, the
 * JSON result in a toolResult. (2026.9's nested-tool events are covered against the real OpenClaw
 * in test/openclaw/transcripts.test.ts.) The agent's home is laid out as OpenClaw lays it out, so
 * result paths resolve against the agent's workspace.
 */
let parent: string | null = null;
/** One transcript message, its parent the one before (the session's active branch). */
function line(id: string, message: Record<string, unknown>): string {
  const entry = { type: "message", id, parentId: parent, timestamp: "2026-11-20T09:00:05.000Z", message };
  parent = id;
  return `${JSON.stringify(entry)}\n`;
}

function transcript(brainFromWorkspace: string): string {
  parent = null;
  const result = {
    results: [
      // Lines 9-11 of payments.md: the heading and its first fact.
      {
        path: `${brainFromWorkspace}/finance/payments.md`,
        startLine: 9,
        endLine: 11,
        score: 0.91,
        snippet: "## Payouts\n\n- Adyen pays out daily to the Danske Bank EUR account.",
      },
      { path: "memory/2026-11-19.md", startLine: 1, endLine: 3, score: 0.4, snippet: "notes" },
    ],
  };
  return (
    OC_HEADER +
    line("u1", { role: "user", content: [{ type: "text", text: "when does Adyen pay out?" }] }) +
    line("a1", {
      role: "assistant",
      content: [
        { type: "toolCall", id: "call_1", name: "memory_search", arguments: { query: "Adyen payout" } },
      ],
    }) +
    line("t1", {
      role: "toolResult",
      toolCallId: "call_1",
      toolName: "memory_search",
      content: [{ type: "text", text: JSON.stringify(result) }],
      isError: false,
    }) +
    line("a2", {
      role: "assistant",
      content: [
        {
          type: "toolCall",
          id: "call_2",
          name: "memory_search",
          arguments: { query: "gift voucher validity" },
        },
      ],
    }) +
    line("t2", {
      role: "toolResult",
      toolCallId: "call_2",
      toolName: "memory_search",
      content: [{ type: "text", text: JSON.stringify({ results: [] }) }],
      isError: false,
    }) +
    line("a3", {
      role: "assistant",
      content: [
        {
          type: "toolCall",
          id: "call_3",
          name: "memory_get",
          arguments: { path: `${brainFromWorkspace}/customer-service/policies/returns.md` },
        },
      ],
    }) +
    line("t3", {
      role: "toolResult",
      toolCallId: "call_3",
      toolName: "memory_get",
      content: [
        {
          type: "text",
          text: JSON.stringify({
            path: `${brainFromWorkspace}/customer-service/policies/returns.md`,
            text: "…",
          }),
        },
      ],
      isError: false,
    })
  );
}

async function mineAgentHome(config: Record<string, unknown> = {}) {
  const llm = await startOpenAiServer({ cheap: [reply({ ops: [] })] });
  const ctx = await mineEnv({
    llmUrl: llm.url,
    brain: BRAIN,
    sources: [{ agent: "cs", kind: "openclaw-jsonl", path: "./home/.openclaw/agents/cs/sessions" }],
    config,
  });
  // From <root>/home/.openclaw/workspace-cs, the brain at <root>/brain is ../../../brain.
  const sessions = join(ctx.root, "home/.openclaw/agents/cs/sessions");
  mkdirSync(sessions, { recursive: true });
  mkdirSync(join(ctx.root, "home/.openclaw/workspace-cs"), { recursive: true });
  writeFileSync(join(sessions, "s-1.jsonl"), transcript("../../../brain"));
  await mineJob(ctx, { mode: "apply" });
  return { ctx, llm };
}

describe("brain reads in agents' logs", () => {
  it("keeps memory_search and memory_get calls as reads, the unanswered search as a question, each once", async () => {
    const { ctx, llm } = await mineAgentHome();
    await mineJob(ctx, { mode: "apply" });
    const rows = ctx
      .db()
      .prepare("SELECT source, tool, caller, query, hits, weak, files FROM searches ORDER BY id")
      .all();
    expect(rows).toEqual([
      {
        source: "openclaw",
        tool: "memory_search",
        caller: "cs",
        query: "Adyen payout",
        hits: 1,
        weak: 0,
        files: JSON.stringify(["finance/payments.md:11"]),
      },
      {
        source: "openclaw",
        tool: "memory_search",
        caller: "cs",
        query: "gift voucher validity",
        hits: 0,
        weak: 1,
        files: "[]",
      },
      {
        source: "openclaw",
        tool: "memory_get",
        caller: "cs",
        query: "../../../brain/customer-service/policies/returns.md",
        hits: 1,
        weak: 0,
        files: JSON.stringify(["customer-service/policies/returns.md"]),
      },
    ]);
    expect(ctx.db().prepare("SELECT path, fact FROM reads ORDER BY rowid").all()).toEqual([
      { path: "finance/payments.md", fact: "Adyen pays out daily to the Danske Bank EUR account." },
      { path: "customer-service/policies/returns.md", fact: null },
    ]);
    // The tool results are the brain read back: never sent to the model.
    const sent = llm.requests.map((r) => JSON.stringify(r.body)).join("\n");
    expect(sent).not.toContain("Danske Bank EUR account.\\\\n");
    expect(sent).not.toContain("memory/2026-11-19.md");
  });

  it("keeps nothing when this host's search.record is false", async () => {
    const { ctx } = await mineAgentHome({ search: { record: false } });
    expect(ctx.db().prepare("SELECT count(*) FROM searches").pluck().get()).toBe(0);
  });
});
