import type { Db } from "../state/db.js";
import { type Row, rankedFacts } from "./candidates.js";
import { type Expansion, phraseOf, textStems } from "./vocabulary.js";

/** What a fact found through another name scores, as a share of what the same match on the query's own words would. */
export const EXPANSION_WEIGHT = 0.7;

/** The share of the query's concepts a fact says in any of their names, counting its section and path. */
export function conceptsSaid(concepts: string[][][], row: Pick<Row, "text" | "section" | "path">): number {
  if (concepts.length === 0) return 0;
  const stems = textStems(`${row.text} ${row.section} ${row.path.replace(/\.md$/, "")}`);
  return (
    concepts.filter((ways) => ways.some((way) => way.every((s) => stems.has(s)))).length / concepts.length
  );
}

/** A ranked fact with its score (higher is better): BM25 on the query's own words and on the names added. */
export interface ScoredRow extends Row {
  score: number;
}

/**
 * The facts for the query's own words (`exact`, BM25 rank, lower is better), merged with the facts
 * for the added names, each searched as a phrase. A fact's score is its BM25 score on the query's
 * words plus `EXPANSION_WEIGHT` times its score on the added names, so of two facts that match
 * equally, the one in the asker's own words comes first. (When no fact uses the asker's name at
 * all, the added names count in full: there is no exact match to rank below.) The glossary facts
 * the names came from are left out: they are reported as the expansion, and would otherwise
 * outrank the facts they lead to.
 *
 * When names were added, each score is then scaled by the share of the query's concepts the fact
 * says, in any of their names (Lucene's classic coordination factor): a fact that names the gift
 * card and its validity beats one that only shares "long" with "how long is a gift voucher good
 * for". A query the vocabulary did not widen is ranked by BM25 alone, as before.
 */
export function withExpansions(
  db: Db,
  exact: Row[],
  expansions: Expansion[],
  concepts: string[][][],
  brain: string,
  limit: number,
): ScoredRow[] {
  const rows = new Map<string, ScoredRow>();
  for (const r of exact) rows.set(`${r.path}:${r.line}`, { ...r, score: -r.rank });
  for (const e of expansions) {
    // Below the asker's own name only where some fact uses it; otherwise the other names are all there is.
    const used = rankedFacts(db, `"${phraseOf(e.term)}"`, brain, 1).length > 0;
    const weight = used ? EXPANSION_WEIGHT : 1;
    const match = e.added.map((n) => `"${n.replace(/"/g, " ")}"`).join(" OR ");
    for (const r of rankedFacts(db, match, brain, limit)) {
      const key = `${r.path}:${r.line}`;
      const known = rows.get(key);
      const extra = -r.rank * weight;
      if (known) known.score += extra;
      else rows.set(key, { ...r, score: extra });
    }
  }
  for (const e of expansions) rows.delete(e.from);
  if (expansions.length > 0 && concepts.length > 1)
    for (const row of rows.values()) row.score *= Math.max(conceptsSaid(concepts, row), 1 / concepts.length);
  return [...rows.values()].sort((a, b) => b.score - a.score);
}
