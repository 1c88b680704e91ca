import type { ScoredRow } from "./expand.js";
import { dot, type FactVector } from "./vectors.js";

/** Reciprocal rank fusion's constant (Cormack et al. 2009): a rank-r hit scores 1 / (RRF_K + r). */
export const RRF_K = 60;

/** Where a hybrid hit was found: by BM25, by embedding similarity, or by both. */
export type Via = "lexical" | "vector" | "both";

export interface FusedRow extends ScoredRow {
  via: Via;
  /** 1-based rank in each list (null: not in it). */
  ranks: { lexical: number | null; vector: number | null };
  /**
   * A good match by either ranking: BM25's own rule (at least half the best BM25 score), or the
   * fact most similar to the query. Similarities have no scale to take a share of, so only the
   * nearest fact counts as good by the vectors alone.
   */
  relevant: boolean;
}

/** The `n` facts most similar to the query vector (both of unit length), best first. Pure. */
export function nearest(
  query: Float32Array,
  facts: FactVector[],
  n: number,
): (FactVector & { similarity: number })[] {
  // One pass keeping the best n in order (ties keep the earlier fact): no copy or sort of every fact.
  const top: { i: number; s: number }[] = [];
  if (n <= 0) return [];
  for (let i = 0; i < facts.length; i++) {
    const s = dot(query, facts[i]!.vector);
    if (top.length === n && s <= top[n - 1]!.s) continue;
    let j = Math.min(top.length, n - 1);
    while (j > 0 && top[j - 1]!.s < s) {
      top[j] = top[j - 1]!;
      j--;
    }
    top[j] = { i, s };
  }
  return top.map((t) => ({ ...facts[t.i]!, similarity: t.s }));
}

/**
 * BM25's ranking and the vector ranking fused by reciprocal rank: each fact scores the sum of
 * 1 / (60 + its rank) over the lists it is in, so a fact both find comes first and either list
 * alone can bring in a fact the other missed. Ranks, not scores, are fused: BM25 scores and
 * cosine similarities are on scales that cannot be added. Pure.
 */
export function fuse(
  lexical: ScoredRow[],
  vector: Omit<ScoredRow, "score" | "rank">[],
  relevantShare: number,
): FusedRow[] {
  const rows = new Map<string, FusedRow>();
  const best = Math.max(0, ...lexical.map((r) => r.score));
  lexical.forEach((r, i) => {
    rows.set(`${r.path}:${r.line}`, {
      ...r,
      score: 1 / (RRF_K + i + 1),
      via: "lexical",
      ranks: { lexical: i + 1, vector: null },
      relevant: r.score >= best * relevantShare,
    });
  });
  vector.forEach((r, i) => {
    const key = `${r.path}:${r.line}`;
    const extra = 1 / (RRF_K + i + 1);
    const known = rows.get(key);
    if (known) {
      known.score += extra;
      known.via = "both";
      known.ranks.vector = i + 1;
      known.relevant ||= i === 0;
    } else
      rows.set(key, {
        path: r.path,
        line: r.line,
        section: r.section,
        text: r.text,
        rank: 0,
        score: extra,
        via: "vector",
        ranks: { lexical: null, vector: i + 1 },
        relevant: i === 0,
      });
  });
  return [...rows.values()].sort((a, b) => b.score - a.score);
}
