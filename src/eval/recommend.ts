/** What the recommendation needs to know about each model. */
export interface Candidate {
  model: string;
  f1: number;
  /** Mean cost of one pass over the set; null when `llm.prices` has no entry for the model. */
  costUsd: number | null;
  /** Why the model cannot be recommended (failed chunks, a budget stop), or null. */
  excluded: string | null;
}

export interface Recommendation {
  model: string;
  f1: number;
  costUsd: number | null;
  best: { model: string; f1: number; costUsd: number | null };
  reason: string;
}

/** Scores this close count as equal (floating-point noise in means). */
const EPSILON = 1e-9;

/**
 * The cheapest model whose F1 is within `margin` of the best F1. Models without a price rank
 * after priced ones (their cost is unknown, not zero); equal costs go to the higher F1, then to the
 * order the models were given. Models that did not finish the set are left out.
 */
export function recommend(
  candidates: Candidate[],
  margin: number,
): { recommendation: Recommendation | null; note: string | null } {
  const eligible = candidates.filter((c) => c.excluded === null);
  const left = candidates.filter((c) => c.excluded !== null).map((c) => `${c.model} (${c.excluded})`);
  const leftNote = left.length > 0 ? `left out: ${left.join(", ")}` : null;
  if (eligible.length === 0) return { recommendation: null, note: leftNote ?? "no model to compare" };
  const best = eligible.reduce((a, b) => (b.f1 > a.f1 + EPSILON ? b : a));
  if (best.f1 <= 0)
    return {
      recommendation: null,
      note: ["no model produced any expected fact (F1 0)", leftNote].filter(Boolean).join("; "),
    };
  const within = eligible.filter((c) => c.f1 >= best.f1 - margin - EPSILON);
  const pick = within.reduce((a, b) => (cheaper(b, a) ? b : a));
  const reason =
    pick === best
      ? `best F1 (${f(pick.f1)})${cheapestNote(pick, within)}`
      : `F1 ${f(pick.f1)} is within ${margin} of the best (${best.model}, ${f(best.f1)}) at ${usd(pick.costUsd)} per pass against ${usd(best.costUsd)}${saving(pick.costUsd, best.costUsd)}`;
  return {
    recommendation: {
      model: pick.model,
      f1: pick.f1,
      costUsd: pick.costUsd,
      best: { model: best.model, f1: best.f1, costUsd: best.costUsd },
      reason,
    },
    note: leftNote,
  };
}

/** Whether `a` should be preferred over `b` (which comes earlier in the given order). */
function cheaper(a: Candidate, b: Candidate): boolean {
  const ca = a.costUsd ?? Number.POSITIVE_INFINITY;
  const cb = b.costUsd ?? Number.POSITIVE_INFINITY;
  if (ca !== cb) return ca < cb;
  return a.f1 > b.f1 + EPSILON;
}

function cheapestNote(pick: Candidate, within: Candidate[]): string {
  if (within.length === 1) return `; no other model within the margin`;
  return pick.costUsd === null
    ? "; cost unknown (no llm.prices entry)"
    : `; also the cheapest within the margin at ${usd(pick.costUsd)} per pass`;
}

function saving(pick: number | null, best: number | null): string {
  if (pick === null || best === null || best <= 0) return "";
  return ` (${Math.round((1 - pick / best) * 100)}% less)`;
}

export function f(value: number): string {
  return value.toFixed(2);
}

export function usd(value: number | null): string {
  return value === null ? "unknown cost" : `$${value.toFixed(4)}`;
}
