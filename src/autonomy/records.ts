import type { Mode } from "../mine/modes.js";
import type { Db } from "../state/db.js";
import type { FolderOf } from "./folders.js";
import type { Outcome } from "./recommend.js";

/** One change kb proposed or applied, and what became of it (`autonomy_reviews`). */
export interface ReviewRow {
  kind: "mine" | "consolidate";
  record_id: number;
  folder: string;
  path: string;
  present: string | null;
  absent: string | null;
  mode: Mode;
  branch: string | null;
  commit_sha: string;
  proposed_at: string;
  outcome: Outcome;
  decided_at: string | null;
  by_commit: string | null;
  detail: string | null;
}

/**
 * Give every committed mined fact and consolidated change a review record: pending on a review
 * branch, kept when applied. A mined fact must be in its file afterwards; a consolidated change
 * puts the rewritten statement in, or takes the old one out.
 */
export function recordNewChanges(db: Db, folderOf: FolderOf): number {
  const mined = db
    .prepare(
      `SELECT id, path, text, mode, branch, commit_sha, mined_at AS at FROM mine_facts
       WHERE commit_sha IS NOT NULL AND NOT EXISTS
         (SELECT 1 FROM autonomy_reviews r WHERE r.kind = 'mine' AND r.record_id = mine_facts.id)`,
    )
    .all() as {
    id: number;
    path: string;
    text: string;
    mode: Mode;
    branch: string | null;
    commit_sha: string;
    at: string;
  }[];
  const consolidated = db
    .prepare(
      `SELECT id, path, old, rewritten, mode, branch, commit_sha, at FROM consolidate_changes
       WHERE commit_sha IS NOT NULL AND NOT EXISTS
         (SELECT 1 FROM autonomy_reviews r WHERE r.kind = 'consolidate' AND r.record_id = consolidate_changes.id)`,
    )
    .all() as {
    id: number;
    path: string;
    old: string;
    rewritten: string | null;
    mode: Mode;
    branch: string | null;
    commit_sha: string;
    at: string;
  }[];
  const insert = db.prepare(
    `INSERT INTO autonomy_reviews (kind, record_id, folder, path, present, absent, mode, branch, commit_sha, proposed_at, outcome)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const first = (mode: Mode): Outcome => (mode === "apply" ? "kept" : "pending");
  db.transaction(() => {
    for (const m of mined)
      insert.run(
        "mine",
        m.id,
        folderOf(m.path),
        m.path,
        m.text,
        null,
        m.mode,
        m.branch,
        m.commit_sha,
        m.at,
        first(m.mode),
      );
    for (const c of consolidated)
      insert.run(
        "consolidate",
        c.id,
        folderOf(c.path),
        c.path,
        c.rewritten,
        c.rewritten ? null : c.old,
        c.mode,
        c.branch,
        c.commit_sha,
        c.at,
        first(c.mode),
      );
  })();
  return mined.length + consolidated.length;
}

export function openRows(db: Db, outcome: "pending" | "kept"): ReviewRow[] {
  return db
    .prepare("SELECT * FROM autonomy_reviews WHERE outcome = ? ORDER BY proposed_at")
    .all(outcome) as ReviewRow[];
}

export function decide(
  db: Db,
  row: ReviewRow,
  outcome: Outcome,
  at: string,
  byCommit: string | null,
  detail: string | null,
): void {
  db.prepare(
    "UPDATE autonomy_reviews SET outcome = ?, decided_at = ?, by_commit = ?, detail = ? WHERE kind = ? AND record_id = ?",
  ).run(outcome, at, byCommit, detail, row.kind, row.record_id);
}

export function allRows(db: Db): ReviewRow[] {
  return db.prepare("SELECT * FROM autonomy_reviews ORDER BY proposed_at, record_id").all() as ReviewRow[];
}
