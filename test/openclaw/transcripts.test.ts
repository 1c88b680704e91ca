import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MineData, run as mineJob } from "../../jobs/mine.js";
import { brainEntry } from "../../src/agents/extra-paths.js";
import { inOtherPass, kbInProcess, makeTree, skipping } from "../helpers/index.js";
import { type RecordedRequest, reply, startOpenAiServer, toolCalls } from "../helpers/openai-server.js";
import { mockModelConfig, openclaw, openclawHome, runOpenclaw } from "../helpers/openclaw.js";
import { BRAIN, mineEnv } from "../mine/env.js";

/**
 * The contract at the writing end: real transcripts from the real OpenClaw (`openclaw agent
 * --local` against kb's local OpenAI-protocol server), mined by kb. Long messages make OpenClaw
 * store events zstd-compressed; a memory_search call and a cron session exercise trust gating.
 */
const filler = (tag: string) => ` ${tag} carries detail.`.repeat(70); // ~1.5 KiB: stored compressed
const TURNS = [
  {
    session: ["--session-id", "s-long"],
    text: `USER-A1 the Oslo store opens at 10:00 on Saturdays.${filler("A1")}`,
  },
  { session: ["--session-id", "s-long"], text: "USER-A2 and the Bergen store at 11:00." },
  { session: ["--session-id", "s-look"], text: "USER-B1 LOOKUP what is the EU shipping threshold?" },
  { session: ["--session-key", "agent:main:cron:nightly"], text: "USER-C1 nightly housekeeping run" },
];
const MINED = ["USER-A1", "ASSIST-A1", "USER-A2", "ASSIST-A2", "USER-B1", "ASSIST-B1"];
const GATED = ["USER-C1", "ASSIST-C1", "BRAINMARK"];

/** The agent model: answers with a marker for the user's turn; a LOOKUP turn first calls memory_search. */
function agentModel(req: RecordedRequest) {
  const messages = req.body.messages as { role: string; content: unknown }[];
  const users = messages.filter((m) => m.role === "user").map((m) => JSON.stringify(m.content));
  const turn =
    users
      .map((u) => /USER-([A-C]\d)/.exec(u)?.[1])
      .filter(Boolean)
      .at(-1) ?? "X";
  if (turn === "B1" && !messages.some((m) => m.role === "tool"))
    return toolCalls({
      name: "tool_call",
      arguments: { id: "memory_search", args: { query: "EU shipping" } },
    });
  return reply(`ASSIST-${turn} noted.${turn === "A2" ? filler("A2") : ""}`);
}

let root: string;
let home: string;
let agentDir: string;
const elsewhere = skipping("kb mine on what the real OpenClaw writes", inOtherPass("openclaw"));

beforeAll(async () => {
  if (elsewhere) return;
  openclaw(); // installs the real OpenClaw into the cache, or fails saying why
  root = mkdtempSync(join(tmpdir(), "kb-oc-transcripts-"));
  const brain = makeTree(
    {
      "finance/shipping.md":
        "---\nowner: finance\n---\n# Shipping\n\n- Free EU shipping above €60 BRAINMARK.\n",
    },
    join(root, "brain"),
  );
  const server = await startOpenAiServer({ "mock-model": agentModel });
  home = openclawHome(
    {
      ...mockModelConfig(server.url),
      memory: { search: { provider: "none", extraPaths: [brainEntry(brain)] } },
    },
    join(root, "home"),
  );
  await runOpenclaw(home, ["memory", "index"]);
  for (const turn of TURNS) await runOpenclaw(home, ["agent", "--local", ...turn.session, "-m", turn.text]);
  await server.close();
  agentDir = join(home, ".openclaw/agents/main");
}, 300_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

/** kb's own model: no operations, every prompt recorded. */
async function kbModel() {
  return startOpenAiServer({ cheap: [reply({ ops: [] })] });
}

function prompts(server: { requests: RecordedRequest[] }): string {
  return server.requests
    .filter((r) => r.model === "cheap")
    .map((r) => (r.body.messages as { content: string }[]).map((m) => m.content).join("\n"))
    .join("\n");
}

const count = (text: string, needle: string) => text.split(needle).length - 1;

describe.skipIf(elsewhere)("kb mine on what the real OpenClaw writes", () => {
  it("writes the 2026.9 layout: the agent store with compressed events, side files beside it", () => {
    const files = readdirSync(join(agentDir, "agent"));
    expect(files).toContain("openclaw-agent.sqlite");
    expect(files.some((f) => f.startsWith("openclaw-agent.sqlite.") && f.endsWith(".sqlite"))).toBe(true);
    const store = new Database(join(agentDir, "agent/openclaw-agent.sqlite"), { readonly: true });
    const compressed = store
      .prepare("SELECT count(*) AS n FROM transcript_events WHERE event_zstd IS NOT NULL")
      .get() as { n: number };
    const version = store
      .prepare("SELECT schema_version AS v FROM schema_meta WHERE role = 'agent'")
      .get() as { v: number };
    store.close();
    expect(compressed.n).toBeGreaterThanOrEqual(2);
    expect(version.v).toBe(23);
  });

  it("mines every message once, compressed ones included, and gates memory results and cron sessions", async () => {
    const llm = await kbModel();
    const ctx = await mineEnv({
      llmUrl: llm.url,
      sources: [{ agent: "main", kind: "openclaw", path: agentDir }],
    });
    const data = (await mineJob(ctx, { mode: "apply" })).data as MineData;
    const sent = prompts(llm);
    for (const marker of MINED) expect({ marker, times: count(sent, marker) }).toEqual({ marker, times: 1 });
    for (const marker of GATED) expect({ marker, times: count(sent, marker) }).toEqual({ marker, times: 0 });
    const source = data.sources[0]!;
    expect(source.decoded).toBeGreaterThanOrEqual(2);
    expect(source.gated.memory).toBe(1);
    expect(source.gated.housekeeping).toBeGreaterThanOrEqual(2);
    expect(source.problems).toEqual([]);
    // Nothing new: no model call the second time.
    const calls = llm.count("cheap");
    const again = (await mineJob(ctx, { mode: "apply" })).data as MineData;
    expect(again.entries.read).toBe(0);
    expect(llm.count("cheap")).toBe(calls);
  });

  it("keeps the agent's memory_search as a read of the brain file it returned, once, and never mines it", async () => {
    const llm = await kbModel();
    const shipping = "---\nowner: finance\n---\n# Shipping\n\n- Free EU shipping above €60 BRAINMARK.\n";
    const ctx = await mineEnv({
      llmUrl: llm.url,
      brain: { ...BRAIN, "finance/shipping.md": shipping },
      sources: [{ agent: "main", kind: "openclaw", path: agentDir }],
    });
    await mineJob(ctx, { mode: "apply" });
    await mineJob(ctx, { mode: "apply" });
    expect(count(prompts(llm), "textScore")).toBe(0); // the tool result never reaches the model
    const searches = ctx
      .db()
      .prepare("SELECT source, tool, caller, query, hits, weak, files FROM searches")
      .all();
    expect(searches).toEqual([
      {
        source: "openclaw",
        tool: "memory_search",
        caller: "main",
        query: "EU shipping",
        hits: 1,
        weak: 0,
        files: JSON.stringify(["finance/shipping.md:6"]),
      },
    ]);
    const reads = ctx.db().prepare("SELECT path, fact FROM reads").all();
    expect(reads).toEqual([{ path: "finance/shipping.md", fact: "Free EU shipping above €60 BRAINMARK." }]);
    const status = await kbInProcess(["status", "--json"], ctx.root);
    expect(JSON.parse(status.stdout).reads.mostRead).toMatchObject([
      { path: "finance/shipping.md", reads: 1, callers: ["main"] },
    ]);
  });

  it("reads the store beside OpenClaw's side files through an openclaw-sqlite source on the agent/ folder", async () => {
    const llm = await kbModel();
    const ctx = await mineEnv({
      llmUrl: llm.url,
      sources: [{ agent: "main", kind: "openclaw-sqlite", path: join(agentDir, "agent") }],
    });
    const data = (await mineJob(ctx, { mode: "apply" })).data as MineData;
    expect(data.sources[0]!.files).toBe(1);
    expect(count(prompts(llm), "USER-A1")).toBe(1);
  });

  it("says where the transcripts went when an openclaw-jsonl source points at sessions/", async () => {
    const llm = await kbModel();
    const ctx = await mineEnv({
      llmUrl: llm.url,
      sources: [{ agent: "main", kind: "openclaw-jsonl", path: join(agentDir, "sessions") }],
    });
    // The sessions/ folder no longer exists: a configuration error that says where the store is.
    const error = await mineJob(ctx, { mode: "apply" }).then(
      () => null,
      (e: Error) => e,
    );
    expect(error?.message).toContain('use kind "openclaw"');
    expect(error?.message).toContain("openclaw-agent.sqlite");
  });

  it("mines only the active branch after a rewind, and holds the watermark before an event it cannot decode", async () => {
    const copy = join(root, `rewound-${Date.now()}`, "agents/main/agent");
    mkdirSync(copy, { recursive: true });
    const live = new Database(join(agentDir, "agent/openclaw-agent.sqlite"), { readonly: true });
    live.exec(`VACUUM INTO '${join(copy, "openclaw-agent.sqlite")}'`);
    live.close();
    const store = new Database(join(copy, "openclaw-agent.sqlite"));
    const ids = store
      .prepare(
        "SELECT event_id AS id, seq FROM transcript_event_identities WHERE session_id = 's-long' AND event_type = 'message' ORDER BY seq",
      )
      .all() as { id: string; seq: number }[];
    // Rewind s-long to just after the first answer: the second exchange becomes an abandoned draft.
    const last = ids.at(-1)!;
    const leaf = {
      type: "leaf",
      id: "leaf-rewind",
      parentId: last.id,
      timestamp: new Date().toISOString(),
      targetId: ids[1]!.id,
    };
    store
      .prepare(
        "INSERT INTO transcript_events (session_id, seq, event_json, created_at) VALUES ('s-long', ?, ?, ?)",
      )
      .run(last.seq + 100, JSON.stringify(leaf), Date.now());
    // Damage one compressed event of another session.
    const bad = store
      .prepare(
        "SELECT rowid AS r, event_zstd AS z FROM transcript_events WHERE session_id = 's-look' AND event_zstd IS NOT NULL LIMIT 1",
      )
      .get() as { r: number; z: Buffer } | undefined;
    const victim =
      bad ??
      (store
        .prepare(
          "SELECT rowid AS r, event_json AS j FROM transcript_events WHERE session_id = 's-look' AND event_json LIKE '%USER-B1%'",
        )
        .get() as { r: number; j: string });
    store
      .prepare(
        "UPDATE transcript_events SET event_json = NULL, event_zstd = ?, event_utf8_bytes = 9 WHERE rowid = ?",
      )
      .run(Buffer.from("not zstd"), victim.r);
    store.close();

    const llm = await kbModel();
    const ctx = await mineEnv({
      llmUrl: llm.url,
      sources: [{ agent: "main", kind: "openclaw", path: join(copy, "..") }],
    });
    const out = await mineJob(ctx, { mode: "apply" });
    const data = out.data as MineData;
    const sent = prompts(llm);
    expect(count(sent, "USER-A1")).toBe(1);
    expect(count(sent, "USER-A2")).toBe(0);
    expect(count(sent, "ASSIST-A2")).toBe(0);
    expect(data.sources[0]!.problems).toMatchObject([{ session: "s-look", row: victim.r }]);
    expect(out.text).toContain("needs a person");
    expect(out.status).toBe("needs-human"); // kb mine exits 3
    const status = await kbInProcess(["status", "--json"], ctx.root);
    expect(status.code).toBe(1);
    expect(status.stdout).toContain("cannot read");

    // Once the event reads again, the next run mines it and nothing is lost.
    const fixed = new Database(join(copy, "openclaw-agent.sqlite"));
    if ("z" in victim)
      fixed.prepare("UPDATE transcript_events SET event_zstd = ? WHERE rowid = ?").run(victim.z, victim.r);
    else
      fixed
        .prepare(
          "UPDATE transcript_events SET event_json = ?, event_zstd = NULL, event_utf8_bytes = NULL WHERE rowid = ?",
        )
        .run(victim.j, victim.r);
    fixed.close();
    const fixedRun = await mineJob(ctx, { mode: "apply" });
    expect(fixedRun.status).toBe("ok");
    const after = fixedRun.data as MineData;
    expect(after.sources[0]!.problems).toEqual([]);
    const all = prompts(llm);
    for (const marker of ["USER-B1", "ASSIST-B1", "USER-A1"]) expect(count(all, marker)).toBe(1);
  });
});
