import { type SpawnOptions, spawn } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { type MineData, run as mineJob } from "../../jobs/mine.js";
import { git, gitOut } from "../../src/runtime/git.js";
import { repoRoot } from "../helpers/index.js";
import { type RecordedRequest, reply, startOpenAiServer, status } from "../helpers/openai-server.js";
import { mineEnv, OC_HEADER, ocLine } from "./env.js";

/** A transcript of `n` user turns, each stating one numbered fact padded to ~150 tokens. */
function factLog(n: number, from = 1): string {
  let out = from === 1 ? OC_HEADER : "";
  for (let i = from; i < from + n; i++) {
    const at = `2026-11-20T10:${String(i).padStart(2, "0")}:00.000Z`;
    const parent = i === 1 ? null : `f${String(i - 1).padStart(7, "0")}`;
    out += ocLine(
      `f${String(i).padStart(7, "0")}`,
      parent,
      at,
      "user",
      `Store rule FACT-${i}: aisle ${i} restocks at ${i} o'clock. ${"context ".repeat(60)}`,
    );
  }
  return out;
}

/** The LLM adds one fact per FACT-n it sees in the log. */
function addFacts(req: RecordedRequest) {
  const prompt = (req.body.messages as { content: string }[])[1]!.content;
  const log = prompt.slice(prompt.indexOf("<log>"));
  const ids = [...log.matchAll(/FACT-(\d+)/g)].map((m) => m[1]);
  return reply({
    ops: [...new Set(ids)].map((id) => ({
      op: "add",
      path: "retail/rules.md",
      section: "Rules",
      text: `Aisle ${id} restocks at ${id} o'clock.`,
      evidence: `FACT-${id}: aisle ${id} restocks at ${id} o'clock.`,
    })),
  });
}

/** `kb mine` in apply mode in its own process, killing itself after chunk `dieAfter` (0: never). */
function mineAndDie(root: string, dieAfter: number, options: SpawnOptions) {
  const loader = pathToFileURL(join(repoRoot, "node_modules/tsx/dist/loader.mjs")).href;
  const fixture = join(repoRoot, "test/mine/fixtures/mine-and-die.ts");
  return spawn(
    process.execPath,
    ["--import", loader, fixture, join(root, "kb.config.yaml"), String(dieAfter)],
    {
      cwd: root,
      ...options,
    },
  );
}

function count(text: string, needle: RegExp): number {
  return [...text.matchAll(needle)].length;
}

describe("watermarks and resumption", () => {
  it("kill -9 between chunks resumes exactly: every fact once, no chunk sent twice", async () => {
    const llm = await startOpenAiServer({ cheap: addFacts });
    const ctx = await mineEnv({
      llmUrl: llm.url,
      logs: { "finance/s.jsonl": factLog(12) },
      mine: { chunkTokens: 500 },
    });
    const child = mineAndDie(ctx.root, 2, { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const signal = await new Promise((resolve) =>
      child.on("exit", (code, sig) => resolve(sig ?? `exit ${code}, ${llm.count()} calls: ${stderr}`)),
    );
    expect(signal).toBe("SIGKILL");
    const callsBeforeKill = llm.count();
    expect(callsBeforeKill).toBe(2);
    const rules = () => readFileSync(join(ctx.root, "brain/retail/rules.md"), "utf8");
    const partial = count(rules(), /Aisle \d+ restocks/g);
    expect(partial).toBeGreaterThan(0);

    const data = (await mineJob(ctx, { mode: "apply" })).data as MineData;
    const chunksAfter = llm.count() - callsBeforeKill;
    expect(chunksAfter).toBeGreaterThan(0);
    for (let i = 1; i <= 12; i++)
      expect(count(rules(), new RegExp(`Aisle ${i} restocks`, "g")), `fact ${i}`).toBe(1);
    expect(data.ops.every((o) => o.op === "add")).toBe(true);
    // Every log line went to the LLM exactly once across both processes.
    const sentFacts = llm.requests.flatMap((r) =>
      [...(r.body.messages as { content: string }[])[1]!.content.matchAll(/FACT-(\d+)/g)].map((m) => m[1]),
    );
    expect(sentFacts.sort()).toEqual([...new Set(sentFacts)].sort());
    expect(new Set(sentFacts).size).toBe(12);
  }, 60_000);

  for (const when of [
    "after the commit, before the checkpoint",
    "after the files are written, before the commit lands",
  ]) {
    it(`kill -9 ${when}: the chunk is neither lost nor mined again, even by a model that words it differently`, async () => {
      let wording = (id: string) => `Aisle ${id} restocks at ${id} o'clock.`;
      const llm = await startOpenAiServer({
        cheap: (req) => {
          const prompt = (req.body.messages as { content: string }[])[1]!.content;
          const ids = [
            ...new Set([...prompt.slice(prompt.indexOf("<log>")).matchAll(/FACT-(\d+)/g)].map((m) => m[1]!)),
          ];
          return reply({
            ops: ids.map((id) => ({
              op: "add",
              path: "retail/rules.md",
              section: "Rules",
              text: wording(id),
              evidence: `FACT-${id}: aisle ${id} restocks at ${id} o'clock.`,
            })),
          });
        },
      });
      const ctx = await mineEnv({
        llmUrl: llm.url,
        logs: { "finance/s.jsonl": factLog(12) },
        mine: { chunkTokens: 500 },
      });
      // A real kill from inside git, on the second mining commit: once it is complete (post-commit),
      // or once its files are staged and the commit object written but the branch not yet moved.
      const hooks = join(ctx.root, "hooks");
      mkdirSync(hooks);
      const hook = when.startsWith("after the commit") ? "post-commit" : "reference-transaction";
      const condition =
        hook === "post-commit" ? "true" : '[ "$1" = prepared ] && grep -q " refs/heads/main$"';
      writeFileSync(
        join(hooks, hook),
        `#!/bin/sh\n${condition} || exit 0\nn=$(cat "${hooks}/count" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "${hooks}/count"\n[ $n -eq 2 ] || exit 0\nkill -9 -$(awk '{print $5}' /proc/$$/stat)\nsleep 5\n`,
      );
      chmodSync(join(hooks, hook), 0o755);
      await git(["-C", ctx.root, "config", "core.hooksPath", hooks]);
      const child = mineAndDie(ctx.root, 0, { stdio: "ignore", detached: true });
      const signal = await new Promise((resolve) =>
        child.on("exit", (code, sig) => resolve(sig ?? `exit ${code}`)),
      );
      expect(signal).toBe("SIGKILL");
      await git(["-C", ctx.root, "config", "--unset", "core.hooksPath"]);
      const sentBefore = llm.count();
      expect(sentBefore).toBe(2);

      wording = (id) => `In aisle ${id}, restocking happens at ${id} o'clock.`;
      const data = (await mineJob(ctx, { mode: "apply" })).data as MineData;
      expect(ctx.logs.join("\n")).toMatch(/chunk \d+\.2 of .* was written before a kill; marked mined/);
      const rules = readFileSync(join(ctx.root, "brain/retail/rules.md"), "utf8");
      for (let i = 1; i <= 6; i++)
        expect(count(rules, new RegExp(`aisle ${i}\\b`, "gi")), `fact ${i}`).toBe(1);
      // Chunks 1 and 2 were not sent again; every fact went to the model once.
      const sent = llm.requests.flatMap((r) =>
        [...(r.body.messages as { content: string }[])[1]!.content.matchAll(/FACT-(\d+)/g)].map((m) => m[1]),
      );
      expect(new Set(sent).size).toBe(12);
      expect(sent.length).toBe(new Set(sent).size);
      expect(data.ops.length).toBeGreaterThan(0);
      expect(await gitOut(["-C", ctx.root, "status", "--porcelain", "--", "brain"])).toBe("");
      expect(await gitOut(["-C", ctx.root, "log", "--format=%B"])).toContain("Kb-Mine-Checkpoint: ");
    }, 60_000);
  }

  it("mines appended entries only, re-reads a truncated or rotated file without re-mining, and forgets deleted files", async () => {
    const llm = await startOpenAiServer({ cheap: addFacts });
    const ctx = await mineEnv({ llmUrl: llm.url, logs: { "finance/s.jsonl": factLog(2) } });
    const file = join(ctx.logsDir, "finance/s.jsonl");
    await mineJob(ctx, { mode: "apply" });
    expect(llm.count()).toBe(1);
    // Appended: only the new entry is sent.
    writeFileSync(file, factLog(2) + factLog(1, 3));
    let data = (await mineJob(ctx, { mode: "apply" })).data as MineData;
    expect(data.entries).toEqual({ read: 1, mined: 1, skipped: 0 });
    // A half-written line is left for the next run.
    writeFileSync(file, `${factLog(2) + factLog(1, 3)}{"type":"message","id":"f0000004"`);
    data = (await mineJob(ctx, { mode: "apply" })).data as MineData;
    expect(data.entries.read).toBe(0);
    // Rotated: a new file at the same path whose first entries were already mined, plus one new.
    writeFileSync(
      file,
      OC_HEADER.replace("s-1", "s-2") + factLog(3).split("\n").slice(1).join("\n") + factLog(1, 4),
    );
    data = (await mineJob(ctx, { mode: "apply" })).data as MineData;
    expect(data.sources[0]).toMatchObject({ restarted: 1 });
    expect(data.entries).toEqual({ read: 1, mined: 1, skipped: 0 });
    // Truncated to nothing, then deleted.
    writeFileSync(file, "");
    data = (await mineJob(ctx, { mode: "apply" })).data as MineData;
    expect(data.entries.read).toBe(0);
    const { rmSync } = await import("node:fs");
    rmSync(file);
    data = (await mineJob(ctx, { mode: "apply" })).data as MineData;
    expect(data.sources[0]).toMatchObject({ files: 0, deleted: 1 });
    expect(llm.count()).toBe(3);
  });

  it("a 429 storm on every model stops on the budget: a successful run with budgetStop, watermark kept", async () => {
    const storm = [status(429, { "retry-after": "0" })];
    const llm = await startOpenAiServer({ cheap: storm, big: storm });
    const ctx = await mineEnv({
      llmUrl: llm.url,
      models: ["cheap", "big"],
      logs: { "finance/s.jsonl": factLog(12) },
      mine: { chunkTokens: 500, budget: { calls: 3, tokens: 1_000_000, costUsd: 5 } },
    });
    const out = await mineJob(ctx, { mode: "apply", llm: { sleep: async () => {} } });
    const data = out.data as MineData;
    expect([llm.count("cheap"), llm.count("big")]).toEqual([3, 0]);
    expect(data.budgetStop).toBe(true);
    expect(data.stopReason).toBe("budget of 3 LLM calls per run reached");
    expect(out.text).toContain("warning: stopped early");
    const row = ctx.db().prepare("SELECT status, summary FROM runs ORDER BY id DESC LIMIT 1").get() as {
      status: string;
      summary: string;
    };
    expect(row.status).toBe("ok");
    expect(JSON.parse(row.summary).budgetStop).toBe(true);
    expect(ctx.db().prepare("SELECT COUNT(*) AS n FROM mine_watermarks").get()).toEqual({ n: 0 });
    expect(ctx.db().prepare("SELECT model, attempts, calls FROM llm_usage").all()).toEqual([
      { model: "cheap", attempts: 3, calls: 0 },
    ]);
  });

  it("a 429 storm with budget left is bounded by the per-chunk cap and the breakers, then fails as transient", async () => {
    const storm = [status(429, { "retry-after": "0" })];
    const llm = await startOpenAiServer({ cheap: storm, big: storm });
    const ctx = await mineEnv({
      llmUrl: llm.url,
      models: ["cheap", "big"],
      logs: { "a/s.jsonl": factLog(3), "b/s.jsonl": factLog(3), "c/s.jsonl": factLog(3) },
      sources: [{ agent: "finance", kind: "openclaw-jsonl", path: "./logs" }],
    });
    await expect(mineJob(ctx, { mode: "apply", llm: { sleep: async () => {} } })).rejects.toThrow(
      /every model is failing/,
    );
    // file a: cheap 3 + big 1 (cap 4; cheap's breaker opens); file b: big 2 more (its breaker opens); file c: nothing.
    expect([llm.count("cheap"), llm.count("big")]).toEqual([3, 3]);
    const row = ctx.db().prepare("SELECT status, exit_code AS code FROM runs ORDER BY id DESC LIMIT 1").get();
    expect(row).toEqual({ status: "transient", code: 5 });
    expect(ctx.db().prepare("SELECT COUNT(*) AS n FROM mine_watermarks").get()).toEqual({ n: 0 });
  });
});
