import { redact } from "../mine/redact.js";
import type { Db } from "../state/db.js";
import { times } from "./reads.js";
import type { SearchResult } from "./search.js";

/** Who asked: `kb search` on the command line, an agent through `kb mcp`, or an OpenClaw agent's memory tools. */
export type SearchSource = "cli" | "mcp" | "openclaw";

/** The tool that retrieved: a search (kb's or OpenClaw's `memory_search`), or a read of one file. */
export type RetrievalTool = "search" | "read_file" | "memory_search" | "memory_get";

/** A first hit that says less than this share of the query's words did not answer it. */
export const WEAK_COVERAGE = 0.5;

/** Whether a search found nothing that answers it: no hit, or a first hit that says too little of the query. */
export function isWeak(result: Pick<SearchResult, "hits" | "coverage">): boolean {
  return result.hits.length === 0 || result.coverage < WEAK_COVERAGE;
}

/** One retrieval to keep: what was asked (a query, or the path read) and what came back. */
export interface Retrieval {
  at: string;
  brain: string;
  source: SearchSource;
  tool: RetrievalTool;
  /** The MCP token's name, the OpenClaw agent; null for a person on the command line. */
  caller: string | null;
  /** The query, or the path a read asked for; secrets are redacted before it is kept. */
  query: string;
  /** The facts (with their text) or whole files (fact null) returned, in order. */
  returned: { path: string; line: number | null; fact: string | null }[];
  bestScore: number | null;
  coverage: number;
  /** Nothing answered it (searches only; a read is never weak). */
  weak: boolean;
  /** For calls read from a log: the entry, so mining a log again does not count it twice. */
  ref?: string;
}

/**
 * Keep one retrieval in the state database: a row of `searches` and a row of `reads` per fact or
 * file returned. Returns false when it was already kept (same `ref`).
 */
export function recordRetrieval(db: Db, r: Retrieval): boolean {
  const put = db.prepare(
    `INSERT INTO searches (at, brain, source, tool, caller, ref, query, hits, best_score, coverage, weak, files)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  const read = db.prepare("INSERT INTO reads (search_id, brain, at, path, fact) VALUES (?, ?, ?, ?, ?)");
  return db.transaction(() => {
    const row = put.run(
      r.at,
      r.brain,
      r.source,
      r.tool,
      r.caller,
      r.ref ?? null,
      redact(r.query).text,
      r.returned.length,
      r.bestScore,
      r.coverage,
      r.weak ? 1 : 0,
      JSON.stringify(r.returned.map((x) => (x.line === null ? x.path : `${x.path}:${x.line}`))),
    );
    if (row.changes === 0) return false;
    for (const x of r.returned) read.run(row.lastInsertRowid, r.brain, r.at, x.path, x.fact);
    return true;
  })();
}

/**
 * Keep one kb search: when, from where and by whom, the query with secrets redacted, how many facts
 * came back, the first one's score and how much of the query it says, and the facts returned.
 * Searches with nothing to search (an empty brain) are not kept.
 */
export function recordSearch(
  db: Db,
  at: string,
  source: SearchSource,
  result: SearchResult,
  caller: string | null = null,
): void {
  if (result.note) return;
  recordRetrieval(db, {
    at,
    brain: result.brain,
    source,
    tool: "search",
    caller,
    query: result.query,
    returned: result.hits.map((h) => ({ path: h.file, line: h.line, fact: h.text })),
    bestScore: result.hits[0]?.score ?? null,
    coverage: result.hits.length === 0 ? 0 : result.coverage,
    weak: isWeak(result),
  });
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
       FROM searches WHERE brain = ? AND at >= ? AND weak = 1 AND tool IN ('search', 'memory_search')
       GROUP BY key ORDER BY times DESC, last DESC LIMIT ?`,
    )
    .all(brain, since, limit) as { query: string; times: number; last: string; most: number }[];
  return rows.map((r) => ({ query: r.query, times: r.times, last: r.last, nothingFound: r.most === 0 }));
}

/** "asked 3 times this week, nothing found: “gift voucher validity”" — one line per question. */
export function unansweredLine(u: Unanswered, period?: string): string {
  return `asked ${times(u.times)}${period ? ` ${period}` : ""}, ${u.nothingFound ? "nothing found" : "no fact answered it"}: “${u.query}”`;
}

/** Drop the searches kept before `before` (ISO time), their reads with them; returns how many went. */
export function pruneRetrievals(db: Db, brain: string, before: string): number {
  return db.prepare("DELETE FROM searches WHERE brain = ? AND at < ?").run(brain, before).changes;
}
