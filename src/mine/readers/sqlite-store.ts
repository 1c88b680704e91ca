import type Database from "better-sqlite3";
import { KbError } from "../../errors.js";
import { openSqlite } from "../../state/native.js";
import type { LogEntry } from "../types.js";
import { activePath, openclawEntries, type SessionInfo } from "./openclaw.js";
import { zstdDecompress } from "./zstd.js";

export class StoreSchemaError extends KbError {}

/** OpenClaw agent-store schema versions whose transcript tables kb was checked against. */
export const CHECKED_SCHEMA_VERSIONS = "4–23";
const NEWEST_CHECKED = 23;
const REQUIRED = ["session_id", "seq", "event_json"];

/** An event kb could not read: the watermark stays before it, and the run reports it. */
export interface StoreProblem {
  session: string;
  seq: number;
  row: number;
  reason: string;
}

export interface StoreRead {
  entries: LogEntry[];
  /** The rowid the watermark may advance to: just before the first problem, else the last row read. */
  end: number;
  problems: StoreProblem[];
  /** Events stored zstd-compressed that were decoded. */
  decoded: number;
  schemaVersion: number | null;
}

interface Row {
  r: number;
  s: string;
  seq: number;
  e: string | null;
  z: Buffer | null;
}

/**
 * The per-agent SQLite store of OpenClaw ≥ 2026.7 (`agents/<id>/agent/openclaw-agent.sqlite`),
 * opened read-only with a busy timeout, so OpenClaw may keep writing while kb reads. Each
 * `transcript_events` row holds one entry object — the same objects as JSONL lines — as
 * `event_json`, or zstd-compressed in `event_zstd` (events of 1 KiB to 4 MiB). Only entries on each
 * session's active branch are returned. The watermark is the table's rowid, which only grows.
 */
export function readStore(file: string, fromRowid: number): StoreRead {
  let db: Database.Database;
  try {
    db = openSqlite(file, { readonly: true, fileMustExist: true, timeout: 5000 });
  } catch (error) {
    if (error instanceof KbError && error.code === "NATIVE_MODULE_MISMATCH") throw error;
    throw new StoreSchemaError("MINE_STORE_UNREADABLE", `${file}: cannot open as SQLite (${String(error)})`);
  }
  try {
    const schemaVersion = storeVersion(db);
    const columns = columnsOf(db, "transcript_events");
    const missing = REQUIRED.filter((c) => !columns.includes(c));
    if (missing.length > 0) {
      throw new StoreSchemaError(
        "MINE_STORE_SCHEMA",
        `${file}: not an OpenClaw agent store kb understands` +
          (schemaVersion !== null ? ` (agent schema ${schemaVersion})` : "") +
          `: expected table transcript_events with columns ${REQUIRED.join(", ")} [, event_zstd] ` +
          `(OpenClaw agent schemas ${CHECKED_SCHEMA_VERSIONS}), found ` +
          (columns.length ? columns.join(", ") : "no such table"),
      );
    }
    const rows = db
      .prepare(
        `SELECT rowid AS r, session_id AS s, seq, event_json AS e, ${zstdColumn(db)} AS z FROM transcript_events
         WHERE rowid > ? ORDER BY rowid`,
      )
      .all(fromRowid) as Row[];
    const problems: StoreProblem[] = [];
    let decoded = 0;
    const bySession = new Map<string, { value: unknown; end: number }[]>();
    for (const row of rows) {
      const result = decodeRow(row);
      if ("reason" in result) {
        problems.push({ session: row.s, seq: row.seq, row: row.r, reason: result.reason });
        continue;
      }
      if (result.compressed) decoded++;
      const list = bySession.get(row.s) ?? [];
      list.push({ value: result.value, end: row.r });
      bySession.set(row.s, list);
    }
    const sessions = sessionInfo(db);
    const entries: LogEntry[] = [];
    for (const [session, lines] of bySession) {
      const active = activeEvents(db, session, lines);
      const onPath = active ? lines.filter((l) => active.has(idOf(l.value))) : lines;
      entries.push(...openclawEntries(onPath, sessions.get(session) ?? { id: session }));
    }
    entries.sort((a, b) => a.end - b.end);
    const last = rows.at(-1)?.r ?? fromRowid;
    const firstBad = problems[0]?.row;
    if (firstBad === undefined) return { entries, end: last, problems, decoded, schemaVersion };
    // Entries after the unreadable event are mined now (once, by key), but no checkpoint may pass it.
    const hold = firstBad - 1;
    for (const e of entries) e.end = Math.min(e.end, hold);
    return { entries, end: hold, problems, decoded, schemaVersion };
  } finally {
    db.close();
  }
}

function decodeRow(row: Row): { value: unknown; compressed: boolean } | { reason: string } {
  let text: string;
  let compressed = false;
  if (row.e !== null) text = row.e;
  else if (row.z !== null) {
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(zstdDecompress(row.z));
      compressed = true;
    } catch (error) {
      return { reason: `event_zstd does not decompress to UTF-8 text (${(error as Error).message})` };
    }
  } else return { reason: "row has neither event_json nor event_zstd" };
  try {
    return { value: JSON.parse(text), compressed };
  } catch {
    return { reason: `${compressed ? "decompressed event" : "event_json"} is not valid JSON` };
  }
}

function idOf(value: unknown): string {
  const id = (value as { id?: unknown } | null)?.id;
  return typeof id === "string" ? id : "";
}

/**
 * The session's active branch: OpenClaw's own index (`session_transcript_active_events`) when it is
 * up to date for the session, else the parent links of the session's events (rewinds, `leaf` controls).
 */
function activeEvents(
  db: Database.Database,
  session: string,
  fresh: { value: unknown }[],
): Set<string> | null {
  if (hasTable(db, "session_transcript_active_events") && hasTable(db, "session_transcript_index_state")) {
    const state = db
      .prepare(
        "SELECT indexed_seq AS indexed, needs_rebuild AS rebuild FROM session_transcript_index_state WHERE session_id = ?",
      )
      .get(session) as { indexed: number; rebuild: number } | undefined;
    const max = (
      db.prepare("SELECT max(seq) AS m FROM transcript_events WHERE session_id = ?").get(session) as {
        m: number | null;
      }
    ).m;
    if (
      state &&
      state.rebuild === 0 &&
      max !== null &&
      state.indexed >= max &&
      hasTable(db, "transcript_event_identities")
    ) {
      const ids = db
        .prepare(
          `SELECT i.event_id AS id FROM session_transcript_active_events a
           JOIN transcript_event_identities i ON i.session_id = a.session_id AND i.seq = a.event_seq
           WHERE a.session_id = ?`,
        )
        .all(session) as { id: string }[];
      if (ids.length > 0) return new Set(ids.map((r) => r.id));
    }
  }
  // Fallback: every event of the session, old ones included, to follow parent links to the root.
  const all = db
    .prepare(
      `SELECT rowid AS r, session_id AS s, seq, event_json AS e, ${zstdColumn(db)} AS z FROM transcript_events WHERE session_id = ? ORDER BY seq`,
    )
    .all(session) as Row[];
  const values = all.map(decodeRow).flatMap((d) => ("value" in d ? [{ value: d.value }] : []));
  return activePath(values.length > 0 ? values : fresh);
}

function zstdColumn(db: Database.Database): string {
  return columnsOf(db, "transcript_events").includes("event_zstd") ? "event_zstd" : "NULL";
}

function sessionInfo(db: Database.Database): Map<string, SessionInfo> {
  const out = new Map<string, SessionInfo>();
  if (!hasTable(db, "session_windows")) return out;
  const nodes = hasTable(db, "session_nodes") && columnsOf(db, "session_nodes").includes("created_via");
  const rows = db
    .prepare(
      nodes
        ? `SELECT w.session_id AS id, w.session_key AS sessionKey, n.created_via AS createdVia
           FROM session_windows w LEFT JOIN session_nodes n ON n.session_key = w.session_key`
        : "SELECT session_id AS id, session_key AS sessionKey, NULL AS createdVia FROM session_windows",
    )
    .all() as { id: string; sessionKey: string | null; createdVia: string | null }[];
  for (const r of rows)
    out.set(r.id, { id: r.id, sessionKey: r.sessionKey ?? undefined, createdVia: r.createdVia ?? undefined });
  return out;
}

function storeVersion(db: Database.Database): number | null {
  if (!hasTable(db, "schema_meta")) return null;
  const row = db.prepare("SELECT max(schema_version) AS v FROM schema_meta WHERE role = 'agent'").get() as {
    v: number | null;
  };
  return row.v;
}

/** Whether a store's schema is newer than the newest kb was checked against (it is still read). */
export function isNewerThanChecked(version: number | null): boolean {
  return version !== null && version > NEWEST_CHECKED;
}

function hasTable(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

function columnsOf(db: Database.Database, table: string): string[] {
  return (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
}
