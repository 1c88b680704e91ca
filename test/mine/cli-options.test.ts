import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type MineData, run as mineJob } from "../../jobs/mine.js";
import { kbBin } from "../helpers/index.js";
import { type RecordedRequest, reply, startOpenAiServer } from "../helpers/openai-server.js";
import { mineEnv, OC_HEADER, ocLine } from "./env.js";

/** One user turn per day, each stating FACT-n. */
const DAYS = ["2026-11-18", "2026-11-19", "2026-11-21", "2026-11-22"];
const LOG =
  OC_HEADER +
  DAYS.map((day, i) =>
    ocLine(
      `d${i + 1}`,
      i === 0 ? null : `d${i}`,
      `${day}T10:00:00.000Z`,
      "user",
      `Store rule FACT-${i + 1}: aisle ${i + 1} restocks at ${i + 1} o'clock.`,
    ),
  ).join("");

function addFacts(req: RecordedRequest) {
  const prompt = (req.body.messages as { content: string }[])[1]!.content;
  const ids = [
    ...new Set([...prompt.slice(prompt.indexOf("<log>")).matchAll(/FACT-(\d+)/g)].map((m) => m[1])),
  ];
  return reply({
    ops: ids.map((id) => ({
      op: "add",
      path: "retail/rules.md",
      section: "Rules",
      text: `Aisle ${id} restocks at ${id} o'clock.`,
      evidence: `FACT-${id}: aisle ${id} restocks at ${id} o'clock.`,
    })),
  });
}

const sent = (llm: { requests: RecordedRequest[] }) =>
  llm.requests.flatMap((r) =>
    [...(r.body.messages as { content: string }[])[1]!.content.matchAll(/FACT-(\d+)/g)].map((m) =>
      Number(m[1]),
    ),
  );

describe("kb mine options", () => {
  it("--since mines only entries on or after the day, and the older ones are not mined later", async () => {
    const llm = await startOpenAiServer({ cheap: addFacts });
    const ctx = await mineEnv({ llmUrl: llm.url, logs: { "finance/s.jsonl": LOG } });
    const data = (await mineJob(ctx, { mode: "apply", since: "2026-11-20" })).data as MineData;
    expect(data.entries).toMatchObject({ read: 4, mined: 2 });
    expect([...new Set(sent(llm))].sort()).toEqual([3, 4]);
    const again = (await mineJob(ctx, { mode: "apply" })).data as MineData;
    expect(again.entries.read).toBe(0);
    expect(llm.count()).toBe(1);
  });

  it("shows a progress bar on a terminal and none when stderr is not one", async () => {
    const llm = await startOpenAiServer({ cheap: addFacts });
    const ctx = await mineEnv({ llmUrl: llm.url, logs: { "finance/s.jsonl": LOG } });
    const args = [kbBin, "--config", join(ctx.root, "kb.config.yaml"), "mine", "--mode", "apply"];
    // `script` gives the command a pseudo-terminal, as a person's shell would.
    const command = [process.execPath, ...args].map((a) => `'${a}'`).join(" ");
    const tty = await run("script", ["-qec", command, "/dev/null"]);
    expect(tty.code, tty.stdout).toBe(0);
    expect(tty.stdout).toMatch(/mining .*\d+\/\d+ chunks/);
    const other = await mineEnv({ llmUrl: llm.url, logs: { "finance/s.jsonl": LOG } });
    const piped = await run(process.execPath, [
      kbBin,
      "--config",
      join(other.root, "kb.config.yaml"),
      "mine",
      "--mode",
      "apply",
    ]);
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stdout).toMatch(/^mine: \d+ added/);
    expect(piped.stderr).not.toMatch(/chunks/);
    expect(
      piped.stderr
        .split("\n")
        .filter(Boolean)
        .every((l) => l.startsWith("{")),
    ).toBe(true);
  });
});

/** Run a command without blocking this process (the LLM test server lives in it). */
function run(cmd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      env: { ...process.env, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
