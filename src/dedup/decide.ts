import { type GuardFeatures, guardFailure, guardFeatures } from "./guards.js";
import { contentTokens, normaliseFact } from "./normalise.js";
import { bigramCodes, diceOfCodes } from "./similarity.js";

/** Everything the pair decision needs about one fact, computed once. */
export interface FactProfile {
  text: string;
  key: string;
  codes: Uint32Array;
  content: Set<string>;
  guards: GuardFeatures;
}

export interface Thresholds {
  /** Auto-remove at or above this score (guards must pass). */
  auto: number;
  /** Below `auto`, at or above this: a review pair. */
  review: number;
  /** A guard failure at or above this score is a contradiction. */
  contradiction: number;
  /** A token-superset pair is a near-duplicate at or above this score. */
  superset: number;
  /** …and when the smaller fact covers at least this share of the larger one's content tokens. */
  supersetCoverage: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  auto: 0.9,
  review: 0.75,
  contradiction: 0.7,
  superset: 0.6,
  supersetCoverage: 0.6,
};

export type Band = "duplicate" | "review" | "contradiction" | "distinct";

export interface PairDecision {
  band: Band;
  score: number;
  reason: string;
  /** Which side carries more: its content tokens contain the other's. */
  superset: "a" | "b" | null;
}

export function profileFact(text: string): FactProfile {
  const key = normaliseFact(text);
  return { text, key, codes: bigramCodes(key), content: contentTokens(key), guards: guardFeatures(text) };
}

/**
 * The decision for one pair. Exact keys are duplicates. Otherwise the Dice score sets the band: a
 * duplicate needs the score at or above `auto` — or a token-superset pair above `superset` — and
 * every guard passing; a guard failure on a look-alike is a contradiction; the grey band is review.
 */
export function decidePair(a: FactProfile, b: FactProfile, t: Thresholds = DEFAULT_THRESHOLDS): PairDecision {
  if (a.key === b.key) return { band: "duplicate", score: 1, reason: "same text", superset: null };
  const score = diceOfCodes(a.codes, b.codes);
  const superset = supersetSide(a, b, t.supersetCoverage);
  const lookAlike = score >= t.contradiction || (superset !== null && score >= t.superset);
  if (!lookAlike) {
    return { band: score >= t.review ? "review" : "distinct", score, reason: "similar wording", superset };
  }
  const failure =
    superset === "b"
      ? guardFailure(a.guards, b.guards, true)
      : superset === "a"
        ? guardFailure(b.guards, a.guards, true)
        : guardFailure(a.guards, b.guards);
  if (failure) return { band: "contradiction", score, reason: failure, superset };
  if (score >= t.auto) return { band: "duplicate", score, reason: "near-identical", superset };
  if (superset !== null && score >= t.superset) {
    const equal = a.content.size === b.content.size;
    return { band: "duplicate", score, reason: equal ? "same words" : "token superset", superset };
  }
  return { band: score >= t.review ? "review" : "distinct", score, reason: "similar wording", superset };
}

/** "b" when b's content tokens contain all of a's (and a covers enough of b), "a" for the reverse. */
function supersetSide(a: FactProfile, b: FactProfile, coverage: number): "a" | "b" | null {
  const [small, large, side] = a.content.size <= b.content.size ? [a, b, "b" as const] : [b, a, "a" as const];
  if (small.content.size < 2 || small.content.size < coverage * large.content.size) return null;
  for (const tok of small.content) if (!large.content.has(tok)) return null;
  return side;
}
