import type { Db } from "../state/db.js";
import type { AuditSummary } from "./summary.js";

/** One stored audit, for the trend line. One per brain and day; a re-run the same day replaces it. */
export interface SnapshotPoint {
  asOf: string;
  files: number;
  reviewedPct: number;
}

export function saveSnapshot(db: Db, brain: string, asOf: string, summary: AuditSummary): void {
  db.prepare(
    `INSERT INTO audit_snapshots (brain, as_of, files, reviewed, summary) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (brain, as_of) DO UPDATE SET files = excluded.files, reviewed = excluded.reviewed,
       summary = excluded.summary`,
  ).run(
    brain,
    asOf,
    summary.files,
    summary.reviewedWithinInterval,
    JSON.stringify({ byReason: summary.byReason, byOwner: summary.byOwner, cohorts: summary.cohorts }),
  );
}

/** Earlier snapshots (before `asOf`), oldest first, at most `limit`. */
export function loadTrend(db: Db, brain: string, asOf: string, limit = 12): SnapshotPoint[] {
  const rows = db
    .prepare(
      "SELECT as_of, files, reviewed FROM audit_snapshots WHERE brain = ? AND as_of < ? ORDER BY as_of DESC LIMIT ?",
    )
    .all(brain, asOf, limit) as { as_of: string; files: number; reviewed: number }[];
  return rows
    .reverse()
    .map((r) => ({ asOf: r.as_of, files: r.files, reviewedPct: r.files ? r.reviewed / r.files : 1 }));
}
