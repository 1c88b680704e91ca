import { munkres } from "munkres";
import { guardFeatures } from "../dedup/guards.js";
import { similarity } from "../dedup/similarity.js";

/**
 * How a produced fact is matched to a labelled one: dedup's similarity score (character-bigram
 * Dice on normalised text) at or above the set's threshold, and no disagreement on the details a
 * character score cannot see. A produced fact may leave details out, but every number, date or
 * amount it states must be in the labelled wording ("closes at 16:00" never matches "closes at
 * 15:00"), and it may not name something else in place of what the label names ("Aarhus" for
 * "Oslo"); naming more ("Adyen's fee" for "the fee") is fine.
 */
export function matchScore(produced: string, wordings: string[], threshold: number): number {
  let best = 0;
  for (const wording of wordings) {
    const score = similarity(produced, wording);
    if (score >= threshold && score > best && disagreement(produced, wording) === null) best = score;
  }
  return best;
}

/** Why `produced` cannot be the fact `expected` states, or null. */
export function disagreement(produced: string, expected: string): string | null {
  const p = details(produced);
  const e = details(expected);
  const pool = [...e.quantities];
  for (const q of p.quantities) {
    const i = pool.indexOf(q);
    if (i === -1) return `${q} is not in the expected fact`;
    pool.splice(i, 1);
  }
  const onlyP = p.names.filter((n) => !has(e.tokens, n));
  const onlyE = e.names.filter((n) => !has(p.tokens, n));
  if (onlyP.length > 0 && onlyE.length > 0) return `${onlyP[0]} instead of ${onlyE[0]}`;
  return null;
}

/**
 * Quantities (currency signs and unit suffixes dropped, so "€60" and "60 EUR", "3-year" and
 * "3 years" agree) and names. The first word is lower-cased first: a capital at the start of a
 * sentence does not make a name.
 */
function details(text: string) {
  const g = guardFeatures(text.replace(/^\s*\p{Lu}/u, (c) => c.toLowerCase()));
  const plain = (t: string) => t.replace(/^[€$£¥]/, "").replace(/^(\d[\d.,:]*)-\p{L}+$/u, "$1");
  return {
    quantities: g.quantities.map(plain),
    names: [...g.names],
    tokens: [...g.tokens].map(plain),
  };
}

/** "Escalate" / "escalated", "Europe" / "European": the same word. */
function has(tokens: string[], name: string): boolean {
  const inflected = (a: string, b: string) => a.length >= 4 && b.startsWith(a) && b.length - a.length <= 3;
  return tokens.some((t) => t === name || inflected(name, t) || inflected(t, name));
}

/**
 * A one-to-one matching of rows to columns over a score matrix (0 = not a match) that first
 * matches as many pairs as possible, then maximises the total score. Greedy best-first is not
 * enough: it can pair A with X when B could only ever match X.
 */
export function assignPairs(scores: number[][]): [row: number, col: number][] {
  const rows = scores.length;
  const cols = scores[0]?.length ?? 0;
  if (rows === 0 || cols === 0) return [];
  // Every real pair is worth more than all scores together, so cardinality comes first.
  const big = Math.min(rows, cols) + 1;
  const cost = scores.map((row) => row.map((s) => (s > 0 ? -(big + s) : 0)));
  return munkres(cost)
    .filter(([r, c]) => scores[r]![c]! > 0)
    .sort((a, b) => a[0] - b[0]);
}
