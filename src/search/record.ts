import { redact } from "../mine/redact.js";
import type { Db } from "../state/db.js";
import type { SearchResult } from "./search.js";

/** Who asked: `kb search` on the command line, or an agent through `kb mcp`. */
export type SearchSource = "cli" | "mcp";

/** A first hit that says less than this share of the query's words did not answer it. */
export const WEAK_COVERAGE = 0.5;

/** Whether a search found nothing that answers it: no hit, or a first hit that says too little of the query. */
export function isWeak(result: Pick<SearchResult, "hits" | "coverage">): boolean {
  return result.hits.length === 0 || result.coverage < WEAK_COVERAGE;
}

/**
 * Keep one search in the state database: when, from where, the query with secrets redacted, how
 * many facts came back, the first one's score and how much of the query it says, and the facts
 * returned. Searches with nothing to search (an empty brain) are not kept.
 */
export function recordSearch(db: Db, at: string, source: SearchSource, result: SearchResult): void {
  if (result.note) return;
  db.prepare(
    `INSERT INTO searches (at, brain, source, query, hits, best_score, coverage, weak, files)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    at,
    result.brain,
    source,
    redact(result.query).text,
    result.hits.length,
    result.hits[0]?.score ?? null,
    result.hits.length === 0 ? 0 : result.coverage,
    isWeak(result) ? 1 : 0,
    JSON.stringify(result.hits.map((h) => `${h.file}:${h.line}`)),
  );
}

/** A question the brain did not answer, with how often it was asked in the period. */
export interface Unanswered {
  query: string;
  times: number;
  last: string;
  /** True when no search of it returned any fact at all. */
  nothingFound: boolean;
}

/**
 * The questions asked since `since` (ISO time) that found no answer, most asked first; the same
 * question in another case or spacing counts as one.
 */
export function unansweredSearches(db: Db, brain: string, since: string, limit = 10): Unanswered[] {
  const rows = db
    .prepare(
      `SELECT lower(trim(query)) AS key, max(query) AS query, count(*) AS times, max(at) AS last, max(hits) AS most
       FROM searches WHERE brain = ? AND at >= ? AND weak = 1
       GROUP BY key ORDER BY times DESC, last DESC LIMIT ?`,
    )
    .all(brain, since, limit) as { query: string; times: number; last: string; most: number }[];
  return rows.map((r) => ({ query: r.query, times: r.times, last: r.last, nothingFound: r.most === 0 }));
}

/** "asked 3 times this week, nothing found: “gift voucher validity”" — one line per question. */
export function unansweredLine(u: Unanswered, period?: string): string {
  const times = u.times === 1 ? "once" : u.times === 2 ? "twice" : `${u.times} times`;
  return `asked ${times}${period ? ` ${period}` : ""}, ${u.nothingFound ? "nothing found" : "no fact answered it"}: “${u.query}”`;
}
