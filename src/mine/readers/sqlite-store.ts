import Database from "better-sqlite3";
import { KbError } from "../../runtime/errors.js";
import type { LogEntry } from "../types.js";
import { openclawEntry } from "./openclaw.js";

export class StoreSchemaError extends KbError {}

const EXPECTED = ["session_id", "seq", "event_json"];

/**
 * The per-agent SQLite store of newer OpenClaw versions (`agent/openclaw-agent.sqlite`), opened
 * read-only. Its `transcript_events.event_json` rows are the same entry objects as JSONL lines.
 * The watermark is the table's rowid, which only grows.
 */
export function readStore(file: string, fromRowid: number): { entries: LogEntry[]; end: number } {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new StoreSchemaError("MINE_STORE_UNREADABLE", `${file}: cannot open as SQLite (${String(error)})`);
  }
  try {
    const columns = (db.prepare("PRAGMA table_info(transcript_events)").all() as { name: string }[]).map(
      (c) => c.name,
    );
    const missing = EXPECTED.filter((c) => !columns.includes(c));
    if (missing.length > 0) {
      throw new StoreSchemaError(
        "MINE_STORE_SCHEMA",
        `${file}: not an OpenClaw agent store kb understands: expected table transcript_events with columns ${EXPECTED.join(", ")}` +
          (columns.length ? `, found ${columns.join(", ")}` : ", found no such table"),
      );
    }
    const rows = db
      .prepare("SELECT rowid AS r, event_json AS e FROM transcript_events WHERE rowid > ? ORDER BY rowid")
      .all(fromRowid) as { r: number; e: string }[];
    const entries: LogEntry[] = [];
    let end = fromRowid;
    for (const row of rows) {
      end = row.r;
      let value: unknown;
      try {
        value = JSON.parse(row.e);
      } catch {
        continue;
      }
      const entry = openclawEntry(value, row.r);
      if (entry) entries.push(entry);
    }
    return { entries, end };
  } finally {
    db.close();
  }
}
