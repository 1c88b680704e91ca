import type { Db } from "../state/db.js";
import type { Applied } from "./apply.js";

/** A contradiction no evidence settles: one item for a person, until settled or gone. */
export interface ContestedItem {
  id: number;
  a: { path: string; line: number; text: string };
  b: { path: string; line: number; text: string };
  attribute: string;
  why: string;
  status: "open" | "settled" | "gone";
  firstSeen: string;
  lastSeen: string;
}

interface ContestedRow {
  id: number;
  a_path: string;
  a_line: number;
  a_text: string;
  b_path: string;
  b_line: number;
  b_text: string;
  attribute: string;
  why: string;
  status: ContestedItem["status"];
  first_seen: string;
  last_seen: string;
}

export type Side = { path: string; line: number; text: string };

/** The item's key: both statements, in a fixed order, so a pair is one item whichever way it is found. */
function keyOf(a: Side, b: Side): { key: string; first: Side; second: Side } {
  const ka = `${a.path}\n${a.text}`;
  const kb = `${b.path}\n${b.text}`;
  return ka <= kb
    ? { key: `${ka}\n${kb}`, first: a, second: b }
    : { key: `${kb}\n${ka}`, first: b, second: a };
}

/**
 * Record this run's undecided contradictions: new ones open, known ones refreshed (lines move),
 * open ones not found again are "gone" (someone changed a side). Settled items stay settled.
 */
export function recordContested(
  db: Db,
  brain: string,
  found: { a: Side; b: Side; attribute: string; why: string }[],
  now: string,
): ContestedItem[] {
  const upsert = db.prepare(
    `INSERT INTO contested (brain, key, a_path, a_line, a_text, b_path, b_line, b_text, attribute, why, status, first_seen, last_seen)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)
     ON CONFLICT (brain, key) DO UPDATE SET a_line = excluded.a_line, b_line = excluded.b_line, why = excluded.why,
       last_seen = excluded.last_seen, status = CASE WHEN status = 'settled' THEN 'settled' ELSE 'open' END`,
  );
  db.transaction(() => {
    for (const f of found) {
      const { key, first, second } = keyOf(f.a, f.b);
      upsert.run(
        brain,
        key,
        first.path,
        first.line,
        first.text,
        second.path,
        second.line,
        second.text,
        f.attribute,
        f.why,
        now,
        now,
      );
    }
    db.prepare(
      "UPDATE contested SET status = 'gone' WHERE brain = ? AND status = 'open' AND last_seen <> ?",
    ).run(brain, now);
  })();
  return openContested(db, brain);
}

export function openContested(db: Db, brain: string): ContestedItem[] {
  const rows = db
    .prepare("SELECT * FROM contested WHERE brain = ? AND status = 'open' ORDER BY id")
    .all(brain) as ContestedRow[];
  return rows.map(itemOf);
}

export function contestedById(db: Db, brain: string, id: number): ContestedItem | null {
  const row = db.prepare("SELECT * FROM contested WHERE brain = ? AND id = ?").get(brain, id) as
    | ContestedRow
    | undefined;
  return row ? itemOf(row) : null;
}

export function markSettled(db: Db, id: number, keep: "a" | "b", at: string): void {
  db.prepare("UPDATE contested SET status = 'settled', settled_keep = ?, settled_at = ? WHERE id = ?").run(
    keep,
    at,
    id,
  );
}

function itemOf(r: ContestedRow): ContestedItem {
  return {
    id: r.id,
    a: { path: r.a_path, line: r.a_line, text: r.a_text },
    b: { path: r.b_path, line: r.b_line, text: r.b_text },
    attribute: r.attribute,
    why: r.why,
    status: r.status,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
  };
}

/** Values that change on a date: until then `current` holds; from then `next` does. Replaced each run. */
export function recordScheduled(
  db: Db,
  brain: string,
  list: { current: Side; next: Side; on: string }[],
): void {
  db.transaction(() => {
    db.prepare("DELETE FROM scheduled_values WHERE brain = ?").run(brain);
    const insert = db.prepare("INSERT OR IGNORE INTO scheduled_values VALUES (?, ?, ?, ?, ?, ?)");
    for (const s of list) insert.run(brain, s.current.path, s.current.text, s.next.path, s.next.text, s.on);
  })();
}

/** Statements a passed date has replaced (`today` or later), as "path\ntext" keys, for the read path. */
export function replacedByDate(
  db: Db,
  brain: string,
  today: string,
): Map<string, { on: string; by: string }> {
  const rows = db
    .prepare(
      "SELECT current_path, current_text, next_path, next_text, on_date FROM scheduled_values WHERE brain = ? AND on_date <= ?",
    )
    .all(brain, today) as {
    current_path: string;
    current_text: string;
    next_path: string;
    next_text: string;
    on_date: string;
  }[];
  return new Map(
    rows.map((r) => [
      `${r.current_path}\n${r.current_text}`,
      { on: r.on_date, by: `${r.next_path}: ${r.next_text}` },
    ]),
  );
}

export function recordChanges(
  db: Db,
  rows: {
    runId: number;
    brain: string;
    applied: Applied;
    mode: string;
    branch: string | null;
    commit: string | null;
    at: string;
  }[],
): void {
  const insert = db.prepare(
    `INSERT INTO consolidate_changes (run_id, brain, path, line, old, rewritten, current_path, current_text, rule, why, archived_to, mode, branch, commit_sha, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (const r of rows)
      insert.run(
        r.runId,
        r.brain,
        r.applied.path,
        r.applied.line,
        r.applied.old,
        r.applied.rewritten,
        r.applied.current.path,
        r.applied.current.text,
        r.applied.rule,
        r.applied.why,
        r.applied.archivedTo,
        r.mode,
        r.branch,
        r.commit,
        r.at,
      );
  })();
}

export interface ChangeRecord {
  runId: number;
  path: string;
  old: string;
  rewritten: string | null;
  currentPath: string;
  currentText: string;
  rule: string;
  why: string;
  mode: string;
  branch: string | null;
  commit: string | null;
  at: string;
}

/** Every recorded supersession of a statement (by its text without kb comments), newest first. */
export function changesFor(db: Db, text: string): ChangeRecord[] {
  const rows = db
    .prepare("SELECT * FROM consolidate_changes WHERE old = ? OR rewritten = ? ORDER BY id DESC")
    .all(text, text) as Record<string, unknown>[];
  return rows.map((r) => ({
    runId: r.run_id as number,
    path: r.path as string,
    old: r.old as string,
    rewritten: (r.rewritten as string | null) ?? null,
    currentPath: r.current_path as string,
    currentText: r.current_text as string,
    rule: r.rule as string,
    why: r.why as string,
    mode: r.mode as string,
    branch: (r.branch as string | null) ?? null,
    commit: (r.commit_sha as string | null) ?? null,
    at: r.at as string,
  }));
}

/** Proposals made on review branches, as "path\nold" keys with their branch. */
export function proposals(db: Db, brain: string): { key: string; branch: string }[] {
  return (
    db
      .prepare(
        "SELECT path, old, branch FROM consolidate_changes WHERE brain = ? AND mode = 'review' AND branch IS NOT NULL",
      )
      .all(brain) as { path: string; old: string; branch: string }[]
  ).map((r) => ({ key: `${r.path}\n${r.old}`, branch: r.branch }));
}
