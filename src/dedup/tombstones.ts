import type { Splice } from "../brain/edit.js";
import type { Db } from "../state/db.js";

/** What one dedup run did to one file, enough for `kb undo` to put the bytes back. */
export interface Tombstone {
  runId: number;
  seq: number;
  brain: string;
  path: string;
  hashBefore: string;
  hashAfter: string;
  /** Splices against the after-text that give back the before-text. */
  undo: Splice[];
  removed: { line: number; text: string; keptPath: string; keptText: string; score: number }[];
  undoneAt: string | null;
}

interface Row {
  run_id: number;
  seq: number;
  brain: string;
  path: string;
  hash_before: string;
  hash_after: string;
  undo: string;
  removed: string;
  undone_at: string | null;
}

export function recordTombstone(db: Db, t: Omit<Tombstone, "undoneAt">): void {
  db.prepare(
    `INSERT INTO dedup_tombstones (run_id, seq, brain, path, hash_before, hash_after, undo, removed)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    t.runId,
    t.seq,
    t.brain,
    t.path,
    t.hashBefore,
    t.hashAfter,
    JSON.stringify(t.undo),
    JSON.stringify(t.removed),
  );
}

export function tombstonesOf(db: Db, runId: number): Tombstone[] {
  const rows = db.prepare("SELECT * FROM dedup_tombstones WHERE run_id = ? ORDER BY seq").all(runId) as Row[];
  return rows.map((r) => ({
    runId: r.run_id,
    seq: r.seq,
    brain: r.brain,
    path: r.path,
    hashBefore: r.hash_before,
    hashAfter: r.hash_after,
    undo: JSON.parse(r.undo) as Splice[],
    removed: JSON.parse(r.removed) as Tombstone["removed"],
    undoneAt: r.undone_at,
  }));
}

export function markUndone(db: Db, runId: number, seq: number, at: string): void {
  db.prepare("UPDATE dedup_tombstones SET undone_at = ? WHERE run_id = ? AND seq = ?").run(at, runId, seq);
}

/** Splices against the edited text that restore the original, from the forward splices. */
export function reverseSplices(before: string, forward: Splice[]): Splice[] {
  let delta = 0;
  return [...forward]
    .sort((a, b) => a.start - b.start)
    .map((s) => {
      const start = s.start + delta;
      delta += s.text.length - (s.end - s.start);
      return { start, end: start + s.text.length, text: before.slice(s.start, s.end) };
    });
}
