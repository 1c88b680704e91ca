import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type MineData, run as mineJob } from "../../jobs/mine.js";
import { parseLog } from "../../src/mine/readers/index.js";
import { resolveSourceFiles } from "../../src/mine/sources.js";
import { makeTree, sharedData } from "../helpers/index.js";
import { reply, startOpenAiServer } from "../helpers/openai-server.js";
import { zstdCompress } from "../helpers/openclaw.js";
import { mineEnv } from "./env.js";

/**
 * OpenClaw ≥ 2026.7 leaves legacy transcripts in `sessions/` only as zstd archives
 * (`<id>.jsonl.deleted.<ts>.zst`, `cold/<sha256>.jsonl.zst`); they may hold history kb never mined.
 */
const sample = readFileSync(join(sharedData, "sessions/openclaw-v3-sample.jsonl"));

describe("archived OpenClaw transcripts", () => {
  it("finds archives beside live transcripts; the sample read plain has 65 entries", () => {
    const dir = makeTree({
      "s.jsonl": sample,
      "s.jsonl.deleted.2026-11-01T10-00-00Z.zst": zstdCompress(sample),
    });
    const plain = parseLog("openclaw-jsonl", join(dir, "s.jsonl"), sample, 0, "2026-11-24");
    expect(plain.entries.length).toBe(65);
    const files = resolveSourceFiles("openclaw", dir, dir);
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual([
      "s.jsonl",
      "s.jsonl.deleted.2026-11-01T10-00-00Z.zst",
    ]);
  });

  it("mines an agent folder's archives once, with the live transcripts and the store's side files ignored", async () => {
    const llm = await startOpenAiServer({ cheap: [reply({ ops: [] })] });
    const ctx = await mineEnv({
      llmUrl: llm.url,
      sources: [{ agent: "main", kind: "openclaw", path: "./logs/agents/main" }],
    });
    const sessions = join(ctx.logsDir, "agents/main/sessions");
    makeTree(
      { "cold/0f3a.jsonl.zst": zstdCompress(sample), "agent.sqlite.generation-lock.sqlite": "" },
      sessions,
    );
    writeFileSync(join(sessions, "x.trajectory.jsonl"), "{}\n");
    const data = (await mineJob(ctx, { mode: "apply" })).data as MineData;
    expect(data.sources[0]!.read).toEqual({ archive: 65 });
    const again = (await mineJob(ctx, { mode: "apply" })).data as MineData;
    expect(again.entries.read).toBe(0);
  });
});
