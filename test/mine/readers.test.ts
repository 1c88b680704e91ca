import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { preprocess } from "../../src/mine/preprocess.js";
import { parseLog } from "../../src/mine/readers/index.js";
import { estimateTokens } from "../../src/mine/tokens.js";
import { repoRoot, sharedData } from "../helpers/index.js";

const read = (kind: Parameters<typeof parseLog>[0], file: string) =>
  parseLog(kind, file, readFileSync(file), 0, "2026-11-24");

describe("log readers on real and sample transcripts", () => {
  it("reads the real OpenClaw v3 sample: messages only, failed-call stubs flagged, thinking dropped", () => {
    const file = join(sharedData, "sessions/openclaw-v3-sample.jsonl");
    const r = read("openclaw-jsonl", file);
    expect(r.badLines).toEqual([]);
    expect(r.end).toBe(readFileSync(file).length);
    expect(r.entries.length).toBe(65);
    expect(r.entries.filter((e) => e.noise).length).toBe(32);
    const pre = preprocess(r.entries);
    expect(pre.kept.some((e) => e.text.includes("untrusted metadata"))).toBe(false);
    expect(pre.kept.some((e) => e.text.includes("[[reply_to_current]]"))).toBe(false);
    expect(pre.kept.some((e) => e.text.includes("Agent failed before reply"))).toBe(false);
    expect(pre.kept.find((e) => e.role === "user")?.text).toBe("はくあ");
  });

  it("merges Claude Code records that share message.id and reads the real sample", () => {
    const real = read("claude-code", join(sharedData, "sessions/claude-code-sample.jsonl"));
    expect(real.entries.map((e) => e.role)).toEqual([
      "user",
      "assistant",
      "tool",
      "assistant",
      "tool",
      "assistant",
      "tool",
      "assistant",
      "tool",
      "tool",
      "assistant",
    ]);
    const sample = read(
      "claude-code",
      join(repoRoot, "examples/sessions/claude-code/e4a8c2f1-7d3b-4b9e-a6c0-5f1d2e8b9a34.jsonl"),
    );
    const merged = sample.entries.filter((e) => e.key === "cc:msg_01Nx7Qv3fK2bWcR9tLmZ5aHd");
    expect(merged.length).toBe(1);
    expect(merged[0]!.text).toContain("[call ");
    expect(merged[0]!.text).not.toMatch(/signature/i);
  });

  it("skips the abandoned branch of a forked OpenClaw session", () => {
    const file = join(
      repoRoot,
      "examples/sessions/openclaw/customer-service/3f6b2c1e-8a4d-4e5f-9b7a-2d1c0e9f8a61.jsonl",
    );
    const keys = read("openclaw-jsonl", file).entries.map((e) => e.key.split("@")[0]);
    expect(keys).not.toContain("1093b0ac");
    expect(keys).toContain("27d90b21");
  });

  it("drops heartbeats, NO_REPLY and failed stubs, and cuts bulky tool output", () => {
    const file = join(
      repoRoot,
      "examples/sessions/openclaw/finance/9c2e47d0-5b1a-4f3e-8d6c-71a0b3e5f2c8.jsonl",
    );
    const r = read("openclaw-jsonl", file);
    const pre = preprocess(r.entries);
    const texts = pre.kept.map((e) => e.text).join("\n");
    expect(texts).not.toMatch(/HEARTBEAT_OK|NO_REPLY|Read HEARTBEAT\.md/);
    expect(texts).not.toContain("overloaded_error");
    expect(Math.max(...pre.kept.filter((e) => e.role === "tool").map((e) => e.text.length))).toBeLessThan(
      500,
    );
    // The share of raw transcript tokens kept is within the 35% budget.
    const raw = estimateTokens(readFileSync(file, "utf8"));
    expect(estimateTokens(texts) / raw).toBeLessThan(0.35);
  });

  it("reads daily memory notes as blocks dated by the file name", () => {
    const file = join(repoRoot, "examples/memory/marketing/memory/2026-11-21.md");
    const r = read("openclaw-memory", file);
    expect(r.entries.length).toBeGreaterThan(1);
    expect(new Set(r.entries.map((e) => e.at))).toEqual(new Set(["2026-11-21T12:00:00.000Z"]));
  });
});
