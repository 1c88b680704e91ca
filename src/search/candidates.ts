import type { Db } from "../state/db.js";
import { matchQuery } from "./query.js";
import { wordFrequencies } from "./terms.js";

/** A fact as ranked: where it is, its text, and its BM25 rank (lower is better). */
export interface Row {
  path: string;
  line: number;
  section: string;
  text: string;
  rank: number;
}

/** Postings BM25 may score per query; past this, the commonest words only narrow (AND), never widen. */
export const POSTINGS_BUDGET = 20_000;
/** Facts holding every word that are enough, when every word is common. */
const MIN_ALL = 20;

/**
 * The facts to rank for a query. BM25 over any of the words, when they are rare enough that
 * scoring every fact holding one is cheap. Otherwise the commonest words (which add almost nothing
 * to BM25 anyway) are left out of the OR, and the facts holding every word are put first.
 */
export function candidates(db: Db, words: string[], brain: string, limit: number, budget: number): Row[] {
  const present = wordFrequencies(db, words)
    .filter((w) => w.facts > 0)
    .sort((a, b) => a.facts - b.facts);
  if (present.length === 0) return [];
  const rare: string[] = [];
  let postings = 0;
  for (const w of present) {
    if (rare.length > 0 && postings + w.facts > budget) break;
    rare.push(w.word);
    postings += w.facts;
  }
  if (postings <= budget && rare.length === present.length)
    return rankedFacts(db, matchQuery(rare, "OR"), brain, limit);
  const all = rankedFacts(
    db,
    matchQuery(
      present.map((w) => w.word),
      "AND",
    ),
    brain,
    limit,
  );
  // Every word is common and some fact holds them all: those are the answer.
  if (postings > budget && all.length >= Math.min(limit, MIN_ALL)) return all;
  const any = rankedFacts(db, matchQuery(rare, "OR"), brain, limit);
  const seen = new Set(all.map((r) => `${r.path}:${r.line}`));
  return [...all, ...any.filter((r) => !seen.has(`${r.path}:${r.line}`))];
}

/** The best `limit` facts for an FTS5 query, best first (two steps: SQLite would otherwise scan every fact). */
export function rankedFacts(db: Db, match: string, brain: string, limit: number): Row[] {
  const top = db
    .prepare("SELECT rowid AS id, rank FROM search_fts WHERE search_fts MATCH ? ORDER BY rank LIMIT ?")
    .all(match, limit) as { id: number; rank: number }[];
  const fact = db.prepare("SELECT brain, path, line, section, text FROM search_facts WHERE id = ?");
  const rows: Row[] = [];
  for (const { id, rank } of top) {
    const f = fact.get(id) as (Omit<Row, "rank"> & { brain: string }) | undefined;
    if (f && f.brain === brain)
      rows.push({ path: f.path, line: f.line, section: f.section, text: f.text, rank });
  }
  return rows;
}
