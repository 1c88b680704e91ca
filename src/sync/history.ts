import type { Db } from "../state/db.js";
import type { MergeConflict } from "./conflict-types.js";

export interface SyncRecord {
  runId: number;
  result: string;
  head: string | null;
  hubHead: string | null;
  commitsIn: number;
  commitsOut: number;
  attempts: number;
  durationMs: number;
  detail: unknown;
  conflicts: MergeConflict[];
}

/** Keep a sync run's outcome and conflicts in the state database (per host, never synced). */
export function recordSync(db: Db, r: SyncRecord): void {
  db.transaction(() => {
    db.prepare(
      `INSERT OR REPLACE INTO sync_history (run_id, result, head, hub_head, commits_in, commits_out, attempts, duration_ms, detail)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      r.runId,
      r.result,
      r.head,
      r.hubHead,
      r.commitsIn,
      r.commitsOut,
      r.attempts,
      r.durationMs,
      JSON.stringify(r.detail),
    );
    const insert = db.prepare(
      "INSERT INTO sync_conflicts (run_id, path, kind, severity, detail, copy) VALUES (?, ?, ?, ?, ?, ?)",
    );
    for (const c of r.conflicts) insert.run(r.runId, c.path, c.kind, c.severity, c.detail, c.copy ?? null);
  })();
}

export function recentSyncs(
  db: Db,
  limit = 10,
): { runId: number; result: string; commitsIn: number; commitsOut: number }[] {
  return db
    .prepare(
      "SELECT run_id AS runId, result, commits_in AS commitsIn, commits_out AS commitsOut FROM sync_history ORDER BY run_id DESC LIMIT ?",
    )
    .all(limit) as { runId: number; result: string; commitsIn: number; commitsOut: number }[];
}

/** What the last recorded sync left unresolved (paths), or null when no sync was recorded yet. */
export function lastUnresolved(db: Db): string[] | null {
  const row = db.prepare("SELECT detail FROM sync_history ORDER BY run_id DESC LIMIT 1").get() as
    | { detail: string }
    | undefined;
  if (!row) return null;
  const detail = JSON.parse(row.detail) as { unresolved?: { marked?: string[]; copies?: string[] } };
  return [...(detail.unresolved?.marked ?? []), ...(detail.unresolved?.copies ?? [])];
}
