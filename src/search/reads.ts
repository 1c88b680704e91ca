import type { Db } from "../state/db.js";

/**
 * What agents read, from the retrievals kept in the state database (`recordRetrieval`): counts per
 * file and per fact over a period. A retrieval that returned three facts of one file counts once
 * for the file and once for each fact.
 */

const DAY_MS = 86_400_000;

/** The ISO time `days` before `now`. */
export function daysBefore(now: Date, days: number): string {
  return new Date(now.getTime() - days * DAY_MS).toISOString();
}

/** Retrievals that returned something of each file since `since`, by brain-relative path. */
export function fileReads(db: Db, brain: string, since: string): Map<string, number> {
  const rows = db
    .prepare(
      "SELECT path, count(DISTINCT search_id) AS n FROM reads WHERE brain = ? AND at >= ? GROUP BY path",
    )
    .all(brain, since) as { path: string; n: number }[];
  return new Map(rows.map((r) => [r.path, r.n]));
}

/** Retrievals that returned each fact since `since`, keyed `path\ntext` (text without kb's comments). */
export function factReads(db: Db, brain: string, since: string): Map<string, number> {
  const rows = db
    .prepare(
      `SELECT path, fact, count(*) AS n FROM reads
       WHERE brain = ? AND at >= ? AND fact IS NOT NULL GROUP BY path, fact`,
    )
    .all(brain, since) as { path: string; fact: string; n: number }[];
  return new Map(rows.map((r) => [factKey(r.path, r.fact), r.n]));
}

export function factKey(path: string, text: string): string {
  return `${path}\n${text}`;
}

/** When the first retrieval of this brain was kept on this host (null: none yet). */
export function readsSince(db: Db, brain: string): string | null {
  return (
    (db.prepare("SELECT min(at) FROM searches WHERE brain = ?").pluck().get(brain) as string | null) ?? null
  );
}

/** A file agents read, with how often and through what. */
export interface ReadFile {
  path: string;
  reads: number;
  /** Who read it: MCP token names, OpenClaw agents, `cli` for people. */
  callers: string[];
}

/** The files read most since `since`, most first. */
export function mostRead(db: Db, brain: string, since: string, limit = 10): ReadFile[] {
  const rows = db
    .prepare(
      `SELECT r.path AS path, count(DISTINCT r.search_id) AS n,
              group_concat(DISTINCT coalesce(s.caller, s.source)) AS callers
       FROM reads r JOIN searches s ON s.id = r.search_id
       WHERE r.brain = ? AND r.at >= ? GROUP BY r.path ORDER BY n DESC, r.path LIMIT ?`,
    )
    .all(brain, since, limit) as { path: string; n: number; callers: string | null }[];
  return rows.map((r) => ({
    path: r.path,
    reads: r.n,
    callers: (r.callers ?? "").split(",").filter(Boolean),
  }));
}

/** "once", "twice", "140 times". */
export function times(n: number): string {
  return n === 1 ? "once" : n === 2 ? "twice" : `${n} times`;
}

/** "read 140 times", "read once". */
export function timesRead(n: number): string {
  return n === 0 ? "never read" : `read ${times(n)}`;
}

/** How often one fact was retrieved on this host, when last, and by whom. */
export interface FactReadSummary {
  reads: number;
  last: string | null;
  callers: string[];
}

export function factReadSummary(db: Db, brain: string, path: string, fact: string): FactReadSummary {
  const row = db
    .prepare(
      `SELECT count(*) AS n, max(r.at) AS last, group_concat(DISTINCT coalesce(s.caller, s.source)) AS callers
       FROM reads r JOIN searches s ON s.id = r.search_id WHERE r.brain = ? AND r.path = ? AND r.fact = ?`,
    )
    .get(brain, path, fact) as { n: number; last: string | null; callers: string | null };
  return { reads: row.n, last: row.last, callers: (row.callers ?? "").split(",").filter(Boolean) };
}
