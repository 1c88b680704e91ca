import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type MineData, run as mineJob } from "../../jobs/mine.js";
import { DEFAULT_GATE, gateEntry } from "../../src/mine/gate.js";
import { makeTree } from "../helpers/index.js";
import { reply, startOpenAiServer } from "../helpers/openai-server.js";
import { mineEnv } from "./env.js";

const NOTE = "# 2026-11-28\n\n- The Oslo store now opens at 09:00 on Saturdays.\n";
const DREAM = "# Light sleep 2026-11-28\n\n- Candidate: Free EU shipping above €60 (seen 3 times).\n";

describe("trust gating", () => {
  it("never sends OpenClaw's dreaming reports to the model, and counts them", async () => {
    const llm = await startOpenAiServer({ cheap: [reply({ ops: [] })] });
    const ctx = await mineEnv({
      llmUrl: llm.url,
      sources: [{ agent: "cs", kind: "openclaw-memory", path: "./logs/memory" }],
    });
    makeTree(
      {
        "2026-11-28.md": NOTE,
        "dreaming/light/2026-11-28.md": DREAM,
        "dreaming/rem/2026-11-28.md": DREAM,
      },
      join(ctx.logsDir, "memory"),
    );
    const data = (await mineJob(ctx, { mode: "apply" })).data as MineData;
    const sent = llm.requests.map((r) => r.raw).join("\n");
    expect(sent).toContain("09:00 on Saturdays");
    expect(sent).not.toContain("Candidate: Free EU shipping");
    expect(data.sources[0]!.gated).toEqual({ dreaming: 2 });
  });

  it("sends dreaming reports when a source turns that gate off", async () => {
    const llm = await startOpenAiServer({ cheap: [reply({ ops: [] })] });
    const ctx = await mineEnv({
      llmUrl: llm.url,
      sources: [
        { agent: "cs", kind: "openclaw-memory", path: "./logs/memory", gate: { dreaming: false } } as never,
      ],
    });
    makeTree({ "dreaming/light/2026-11-28.md": DREAM }, join(ctx.logsDir, "memory"));
    await mineJob(ctx, { mode: "apply" });
    expect(llm.requests.map((r) => r.raw).join("\n")).toContain("Candidate: Free EU shipping");
  });

  it("gates memory tools by name (older OpenClaw names them directly), heartbeats and cron, nothing else", () => {
    const base = { key: "k", at: "", end: 0, text: "x" };
    const tool = (toolName: string) => ({ ...base, role: "tool" as const, tool: true, toolName });
    expect(gateEntry(tool("memory_search"), DEFAULT_GATE)).toBe("memory");
    expect(gateEntry(tool("memory_get"), DEFAULT_GATE)).toBe("memory");
    expect(gateEntry(tool("exec"), DEFAULT_GATE)).toBeNull();
    expect(gateEntry(tool("kb__search"), DEFAULT_GATE)).toBe("memory");
    expect(gateEntry(tool("mcp__kb__read_file"), DEFAULT_GATE)).toBe("memory");
    expect(gateEntry(tool("web_search"), DEFAULT_GATE)).toBeNull();
    expect(gateEntry(tool("crm_lookup"), { ...DEFAULT_GATE, tools: ["crm_lookup"] })).toBe("memory");
    expect(gateEntry(tool("memory_search"), { ...DEFAULT_GATE, memory: false })).toBeNull();
    expect(gateEntry({ ...base, role: "user", sessionKind: "heartbeat" }, DEFAULT_GATE)).toBe("housekeeping");
    expect(gateEntry({ ...base, role: "user", sessionKind: "cron" }, DEFAULT_GATE)).toBe("housekeeping");
    expect(gateEntry({ ...base, role: "user", sessionKind: "channel" }, DEFAULT_GATE)).toBeNull();
  });
});
