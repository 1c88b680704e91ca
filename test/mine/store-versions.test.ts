import { mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { type MineData, run as mineJob } from "../../jobs/mine.js";
import { reply, startOpenAiServer } from "../helpers/openai-server.js";
import { zstdCompress } from "../helpers/openclaw.js";
import { mineEnv, OC_HEADER, ocLine } from "./env.js";

/** An agent store with OpenClaw's schema_meta and transcript_events columns, at a given schema version. */
function store(
  file: string,
  version: number,
  columns = "session_id TEXT, seq INTEGER, event_json TEXT, created_at INTEGER, event_zstd BLOB, event_utf8_bytes INTEGER",
) {
  mkdirSync(join(file, ".."), { recursive: true });
  const db = new Database(file);
  db.exec(
    `CREATE TABLE schema_meta (meta_key TEXT, role TEXT, schema_version INTEGER, agent_id TEXT, app_version TEXT, created_at INTEGER, updated_at INTEGER);
     INSERT INTO schema_meta VALUES ('primary', 'agent', ${version}, 'main', 'x', 0, 0);
     CREATE TABLE transcript_events (${columns});`,
  );
  return db;
}

describe("OpenClaw agent store versions", () => {
  it("reads a newer schema with the same columns, and says it is newer than kb checked", async () => {
    const llm = await startOpenAiServer({ cheap: [reply({ ops: [] })] });
    const ctx = await mineEnv({
      llmUrl: llm.url,
      sources: [{ agent: "main", kind: "openclaw", path: "./logs/main" }],
    });
    const db = store(join(ctx.logsDir, "main/agent/openclaw-agent.sqlite"), 24);
    const lines = (
      OC_HEADER + ocLine("e1", null, "2026-11-20T09:01:00.000Z", "user", `Long: ${"x ".repeat(700)}`)
    )
      .trim()
      .split("\n");
    const insert = db.prepare("INSERT INTO transcript_events VALUES ('s-1', ?, ?, 0, ?, ?)");
    insert.run(0, lines[0], null, null);
    insert.run(1, null, zstdCompress(Buffer.from(lines[1]!)), Buffer.byteLength(lines[1]!));
    db.close();
    const out = await mineJob(ctx, { mode: "apply" });
    const data = out.data as MineData;
    expect(data.entries.read).toBe(1);
    expect(data.sources[0]!.decoded).toBe(1);
    expect(out.text).toContain("agent schema 24 is newer than kb has checked (4–23)");
  });

  it("names the store's schema version and what kb reads when the transcript table is not one it knows", async () => {
    const llm = await startOpenAiServer({ cheap: [reply({ ops: [] })] });
    const ctx = await mineEnv({
      llmUrl: llm.url,
      sources: [{ agent: "main", kind: "openclaw", path: "./logs/main" }],
    });
    store(
      join(ctx.logsDir, "main/agent/openclaw-agent.sqlite"),
      31,
      "session_id TEXT, seq INTEGER, payload BLOB",
    ).close();
    const error = await mineJob(ctx, { mode: "apply" }).catch((e: Error) => e);
    expect(String(error)).toContain("(agent schema 31)");
    expect(String(error)).toContain("OpenClaw agent schemas 4–23");
    expect(llm.count()).toBe(0);
  });
});
