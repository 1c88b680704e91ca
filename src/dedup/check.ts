import { DEFAULT_THRESHOLDS, decidePair, type FactProfile, profileFact, type Thresholds } from "./decide.js";

export { normaliseFact } from "./normalise.js";
export { similarity } from "./similarity.js";

export type DuplicateVerdict =
  | { kind: "distinct" }
  /** The new text adds nothing to candidate `match`. */
  | { kind: "duplicate"; match: number; score: number }
  /** The new text is a near-duplicate of `match` that carries more information (may replace it). */
  | { kind: "superset"; match: number; score: number }
  /** The new text looks like `match` but disagrees on a guarded token (number, date, name, negation…). */
  | { kind: "contradiction"; match: number; score: number; reason: string };

/**
 * The deterministic duplicate check `kb mine` runs before adding a fact, with the same
 * normalisation, score and guards as the nightly dedup. A duplicate wins over a superset, a superset
 * over a contradiction; among equals the highest score (then the lowest index) wins.
 */
export function checkDuplicate(
  text: string,
  candidates: string[],
  thresholds: Thresholds = DEFAULT_THRESHOLDS,
): DuplicateVerdict {
  const fresh = profileFact(text);
  let best: { rank: number; score: number; verdict: DuplicateVerdict } | null = null;
  candidates.forEach((candidate, match) => {
    const verdict = verdictFor(fresh, profileFact(candidate), match, thresholds);
    if (verdict.kind === "distinct") return;
    const rank = verdict.kind === "duplicate" ? 3 : verdict.kind === "superset" ? 2 : 1;
    if (!best || rank > best.rank || (rank === best.rank && verdict.score > best.score)) {
      best = { rank, score: verdict.score, verdict };
    }
  });
  return (best as { verdict: DuplicateVerdict } | null)?.verdict ?? { kind: "distinct" };
}

function verdictFor(
  fresh: FactProfile,
  existing: FactProfile,
  match: number,
  thresholds: Thresholds,
): DuplicateVerdict {
  const d = decidePair(existing, fresh, thresholds);
  if (d.band === "contradiction") return { kind: "contradiction", match, score: d.score, reason: d.reason };
  const richer = d.superset === "b" && fresh.content.size > existing.content.size;
  if (richer && (d.band === "duplicate" || d.band === "review"))
    return { kind: "superset", match, score: d.score };
  if (d.band !== "duplicate") return { kind: "distinct" };
  return { kind: "duplicate", match, score: d.score };
}
