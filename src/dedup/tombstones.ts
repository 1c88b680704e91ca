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
  undo: UndoSplice[];
  removed: {
    line: number;
    text: string;
    keptPath: string;
    keptText: string;
    score: number;
    /** The undo splice that puts it back (absent in records of older kb versions). */
    undo?: number;
  }[];
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
    undo: JSON.parse(r.undo) as UndoSplice[],
    removed: JSON.parse(r.removed) as Tombstone["removed"],
    undoneAt: r.undone_at,
  }));
}

export function markUndone(db: Db, runId: number, seq: number, at: string): void {
  db.prepare("UPDATE dedup_tombstones SET undone_at = ? WHERE run_id = ? AND seq = ?").run(at, runId, seq);
}

/**
 * One splice of an undo, against the after-text, with what finds its place again in a file edited
 * since the run: the bytes it replaces (`current`, empty for a removal) and the text around it —
 * the line before (`head`, up to the splice) and the rest of the line after (`tail`).
 */
export interface UndoSplice extends Splice {
  current?: string;
  head?: string;
  tail?: string;
}

/**
 * Splices against the edited text that restore the original, from the forward splices, and for
 * each forward splice the undo splice that reverses it. Splices
 * that touch are merged first: two removals of neighbouring lines leave one insertion point, and
 * two insertions at one point could otherwise come back in either order.
 */
export function reverseSplices(
  before: string,
  after: string,
  forward: Splice[],
): { undo: UndoSplice[]; owner: number[] } {
  const merged: Splice[] = [];
  const owner = new Array<number>(forward.length);
  const order = forward.map((_, i) => i).sort((a, b) => forward[a]!.start - forward[b]!.start);
  for (const i of order) {
    const s = forward[i]!;
    const last = merged.at(-1);
    if (last && s.start <= last.end) {
      last.text += s.text;
      last.end = Math.max(last.end, s.end);
    } else merged.push({ ...s });
    owner[i] = merged.length - 1;
  }
  let delta = 0;
  const undo = merged.map((s) => {
    const start = s.start + delta;
    delta += s.text.length - (s.end - s.start);
    const end = start + s.text.length;
    return {
      start,
      end,
      text: before.slice(s.start, s.end),
      current: after.slice(start, end),
      head: after.slice(lineStart(after, start > 0 && isLineStart(after, start) ? start - 1 : start), start),
      tail: after.slice(end, lineEnd(after, end)),
    };
  });
  return { undo, owner };
}

function isLineStart(text: string, at: number): boolean {
  return at === 0 || text[at - 1] === "\n";
}

function lineStart(text: string, at: number): number {
  return text.lastIndexOf("\n", at - 1) + 1;
}

/** The offset just past the line break that ends the line holding `at`, or the end of the text. */
function lineEnd(text: string, at: number): number {
  const i = text.indexOf("\n", at);
  return i === -1 ? text.length : i + 1;
}
