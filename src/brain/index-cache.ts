import type { Db } from "../state/db.js";
import type { BrainDoc, ScanError } from "./types.js";

/** A cached parse of one file, keyed by (brain, path); reused while size and mtime are unchanged. */
export interface CacheEntry {
  size: number;
  mtimeMs: number;
  hash: string;
  entry: { doc: BrainDoc } | { error: ScanError };
}

interface Row {
  path: string;
  size: number;
  mtime_ms: number;
  hash: string;
  doc: string;
}

export function loadCache(db: Db, brain: string): Map<string, CacheEntry> {
  const rows = db
    .prepare("SELECT path, size, mtime_ms, hash, doc FROM file_index WHERE brain = ?")
    .all(brain) as Row[];
  const map = new Map<string, CacheEntry>();
  for (const row of rows) {
    map.set(row.path, { size: row.size, mtimeMs: row.mtime_ms, hash: row.hash, entry: JSON.parse(row.doc) });
  }
  return map;
}

export function saveCache(
  db: Db,
  brain: string,
  changed: { path: string; entry: CacheEntry }[],
  removed: string[],
): void {
  if (changed.length === 0 && removed.length === 0) return;
  const upsert = db.prepare(
    `INSERT INTO file_index (brain, path, size, mtime_ms, hash, fact_count, doc) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (brain, path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms,
       hash = excluded.hash, fact_count = excluded.fact_count, doc = excluded.doc`,
  );
  const remove = db.prepare("DELETE FROM file_index WHERE brain = ? AND path = ?");
  db.transaction(() => {
    for (const { path, entry } of changed) {
      const facts = "doc" in entry.entry ? entry.entry.doc.facts.length : 0;
      upsert.run(brain, path, entry.size, entry.mtimeMs, entry.hash, facts, JSON.stringify(entry.entry));
    }
    for (const path of removed) remove.run(brain, path);
  })();
}
