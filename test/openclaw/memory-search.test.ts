import { existsSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { type MineData, run as mineJob } from "../../jobs/mine.js";
import { inOtherPass, kbInProcess, skipping, tempDir } from "../helpers/index.js";
import { reply, startOpenAiServer } from "../helpers/openai-server.js";
import { memorySearch, openclaw, openclawHome, runOpenclaw } from "../helpers/openclaw.js";
import { mineEnv, OC_HEADER, ocLine } from "../mine/env.js";

/**
 * The contract at the reading end: the brain kb maintains, indexed by the real OpenClaw's memory
 * search (keyword-only, no network) through `memory.search.extraPaths`. A fact kb superseded lives
 * on in `_archive/`; with the entry `kb agents` prints, agents never get it back.
 */
const BRAIN = {
  "finance/shipping.md": `---
title: Shipping
owner: "@lars.finance"
updated: 2026-09-01
---

# Shipping

## EU

- Free EU shipping above €50.
- Parcels to Norway ship with Bring.
`,
};

const LOG =
  OC_HEADER +
  ocLine(
    "b0000001",
    null,
    "2026-11-20T09:01:00.000Z",
    "user",
    "From today free EU shipping starts above €60, not €50.",
  ) +
  ocLine(
    "b0000002",
    "b0000001",
    "2026-11-20T09:02:00.000Z",
    "assistant",
    "Noted: free EU shipping above €60.",
  );

let root: string;
let brain: string;

const elsewhere = skipping("OpenClaw memory search over the brain kb keeps", inOtherPass("openclaw"));

beforeAll(() => {
  if (!elsewhere) openclaw();
}, 600_000);

/** A brain where kb has superseded €50 with €60 (the old fact now in `_archive/`). */
async function maintainedBrain() {
  const llm = await startOpenAiServer({
    cheap: (req) => {
      const prompt = (req.body.messages as { content: string }[])[1]!.content;
      const line = prompt.split("\n").find((l) => l.includes("Free EU shipping above €50"));
      const id = Number(/^(\d+)\./.exec(line ?? "")?.[1] ?? -1);
      return reply({
        ops: [
          {
            op: "supersede",
            id,
            text: "Free EU shipping above €60.",
            evidence: "From today free EU shipping starts above €60, not €50.",
          },
        ],
      });
    },
  });
  const ctx = await mineEnv({ llmUrl: llm.url, brain: BRAIN, logs: { "finance/s1.jsonl": LOG } });
  const data = (await mineJob(ctx, { mode: "apply" })).data as MineData;
  expect(data.ops.map((o) => o.op)).toEqual(["supersede"]);
  return ctx;
}

describe.skipIf(elsewhere)("OpenClaw memory search over the brain kb keeps", () => {
  it("returns the archived fact with a bare path entry, and only the current one with kb's entry", async () => {
    const ctx = await maintainedBrain();
    root = ctx.root;
    brain = join(root, "brain");
    expect(readFileSync(join(brain, "_archive/finance/shipping.md"), "utf8")).toContain("€50");
    expect(readFileSync(join(brain, "finance/shipping.md"), "utf8")).toContain("€60");

    const agents = await kbInProcess(["agents", "--json"], root);
    const entry = (JSON.parse(agents.stdout) as { agents: { extraPath: unknown }[] }).agents[0]!.extraPath;
    expect(entry).toEqual({ path: brain, pattern: "{*.md,[!_.]*/**/*.md}" });

    const search = { provider: "none" };
    const before = openclawHome(
      { memory: { search: { ...search, extraPaths: [brain] } } },
      tempDir("kb-oc-before-"),
    );
    const after = openclawHome(
      { memory: { search: { ...search, extraPaths: [entry] } } },
      tempDir("kb-oc-after-"),
    );
    await runOpenclaw(before, ["memory", "index"]);
    await runOpenclaw(after, ["memory", "index"]);
    const bare = await memorySearch(before, "Free EU shipping");
    const kb = await memorySearch(after, "Free EU shipping");

    // A bare path: the superseded €50 comes back from _archive/ beside the current fact.
    expect(bare.some((r) => r.path.includes("_archive/") && r.snippet.includes("€50"))).toBe(true);
    // kb's entry: the current fact, and nothing from _archive/.
    expect(kb.some((r) => r.snippet.includes("Free EU shipping above €60"))).toBe(true);
    expect(kb.filter((r) => r.path.includes("_archive") || r.snippet.includes("€50."))).toEqual([]);

    // kb doctor and kb agents judge both configs the same way, reading them only.
    const config = parse(readFileSync(join(root, "kb.config.yaml"), "utf8")) as Record<string, unknown>;
    config.agents = {
      finance: { openclawConfig: join(before, ".openclaw/openclaw.json") },
      cs: { openclawConfig: join(after, ".openclaw/openclaw.json") },
    };
    writeFileSync(join(root, "kb.config.yaml"), stringify(config));
    const configBefore = readFileSync(join(before, ".openclaw/openclaw.json"), "utf8");
    const doctor = await kbInProcess(["doctor", "--json"], root);
    const checks = (
      JSON.parse(doctor.stdout) as { checks: { id: string; status: string; message: string }[] }
    ).checks;
    expect(checks.find((c) => c.id === "agent:finance")).toMatchObject({ status: "warn" });
    expect(checks.find((c) => c.id === "agent:finance")?.message).toContain("_archive/");
    expect(checks.find((c) => c.id === "agent:cs")).toMatchObject({ status: "ok" });
    expect(readFileSync(join(before, ".openclaw/openclaw.json"), "utf8")).toBe(configBefore);
    const listed = await kbInProcess(["agents"], root);
    expect(listed.code).toBe(3);
  }, 300_000);

  it("names the brain's real path when the configured brain is a symlink, and flags a symlinked entry", async () => {
    const dir = tempDir();
    const ctx = await mineEnv({ brain: BRAIN });
    symlinkSync(join(ctx.root, "brain"), join(dir, "brain-link"));
    const home = openclawHome(
      { memory: { search: { provider: "none", extraPaths: [join(dir, "brain-link")] } } },
      tempDir(),
    );
    writeFileSync(
      join(dir, "kb.config.yaml"),
      `brain: ./brain-link\nstate: ./state\nagents:\n  finance:\n    openclawConfig: ${join(home, ".openclaw/openclaw.json")}\n`,
    );
    const out = await kbInProcess(["agents", "--json"], dir);
    const agent = (
      JSON.parse(out.stdout) as {
        agents: { extraPath: { path: string }; check: { state: string } }[];
      }
    ).agents[0]!;
    expect(agent.extraPath.path).toBe(join(ctx.root, "brain"));
    expect(agent.check.state).toBe("symlink");
    expect(existsSync(join(dir, "brain-link"))).toBe(true);
  });
});
