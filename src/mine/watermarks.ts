import { createHash } from "node:crypto";
import type { Db } from "../state/db.js";

/**
 * Per-file watermarks: how far a log file has been mined, plus a hash of the bytes before that
 * point so a rotated or truncated file is noticed and read again from the start. Entries already
 * mined are remembered by key (`mine_seen`), so re-reading never mines an entry twice.
 */
export interface Watermark {
  offset: number;
  headHash: string;
  size: number;
}

export function getWatermark(db: Db, source: string, file: string): Watermark | null {
  const row = db
    .prepare("SELECT offset, head_hash AS headHash, size FROM mine_watermarks WHERE source = ? AND file = ?")
    .get(source, file) as Watermark | undefined;
  return row ?? null;
}

export function headHash(buf: Buffer, upTo: number): string {
  return createHash("sha256")
    .update(buf.subarray(0, Math.min(upTo, 4096)))
    .digest("hex");
}

/** Where to resume reading `buf`: 0 when the file shrank or its start changed (rotation, truncation). */
export function resumeOffset(mark: Watermark | null, buf: Buffer): number {
  if (!mark) return 0;
  if (buf.length < mark.offset) return 0;
  if (headHash(buf, mark.offset) !== mark.headHash) return 0;
  return mark.offset;
}

export function filterSeen<T extends { key: string }>(db: Db, agent: string, entries: T[]): T[] {
  const seen = db.prepare("SELECT 1 FROM mine_seen WHERE agent = ? AND entry = ?");
  return entries.filter((e) => !seen.get(agent, e.key));
}

export interface Checkpoint {
  source: string;
  agent: string;
  file: string;
  offset: number;
  headHash: string;
  size: number;
  keys: string[];
  runId: number;
  at: string;
}

/** Record a mined chunk: its entries and the file's new watermark, in one transaction. */
export function commitCheckpoint(db: Db, cp: Checkpoint): void {
  db.transaction(() => {
    const seen = db.prepare("INSERT OR IGNORE INTO mine_seen (agent, entry, run_id) VALUES (?, ?, ?)");
    for (const key of cp.keys) seen.run(cp.agent, key, cp.runId);
    db.prepare(
      `INSERT INTO mine_watermarks (source, file, offset, head_hash, size, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (source, file) DO UPDATE SET offset = excluded.offset, head_hash = excluded.head_hash,
         size = excluded.size, updated_at = excluded.updated_at`,
    ).run(cp.source, cp.file, cp.offset, cp.headHash, cp.size, cp.at);
  })();
}

/** Forget watermarks of files that no longer exist (deleted or pruned sessions); returns how many. */
export function dropMissing(db: Db, source: string, present: Set<string>): number {
  const rows = db.prepare("SELECT file FROM mine_watermarks WHERE source = ?").all(source) as {
    file: string;
  }[];
  const del = db.prepare("DELETE FROM mine_watermarks WHERE source = ? AND file = ?");
  let n = 0;
  for (const r of rows) {
    if (!present.has(r.file)) {
      del.run(source, r.file);
      n++;
    }
  }
  return n;
}
