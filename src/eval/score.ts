import { assignPairs, matchScore } from "./match.js";
import type { ExpectedFact, MustNotItem } from "./set.js";

/** One fact a model proposed (an ADD or a SUPERSEDE that passed kb's checks). */
export interface ProducedFact {
  text: string;
  /** The brain file the model chose (for a SUPERSEDE, the file of the fact it replaces). */
  path: string;
  /** `kb mine` would drop it as already in the brain (the dedup duplicate check). */
  known: boolean;
}

export interface FactMatch {
  expected: number;
  produced: number;
  score: number;
  pathOk: boolean;
}

/** The score of one log: which produced facts matched which labelled ones, and what is left over. */
export interface LogScore extends Counts {
  matches: FactMatch[];
  /** Indices of expected facts nobody produced. */
  missed: number[];
  /** Indices of produced facts counted as false positives. */
  extra: number[];
  forbiddenHits: { produced: number; item: number }[];
}

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
  wrongPath: number;
  forbidden: number;
  known: number;
}

export interface Metrics {
  precision: number;
  recall: number;
  f1: number;
  /** Share of matched facts aimed at the wrong file; null when nothing matched. */
  wrongPathRate: number | null;
}

/** Match a log's produced facts one-to-one to its expected facts and count the outcome. Pure. */
export function scoreLog(
  expected: ExpectedFact[],
  mustNot: MustNotItem[],
  produced: ProducedFact[],
  threshold: number,
): LogScore {
  const scores = expected.map((e) => produced.map((p) => matchScore(p.text, e.texts, threshold)));
  const matches = assignPairs(scores).map(([e, p]) => ({
    expected: e,
    produced: p,
    score: scores[e]![p]!,
    pathOk: expected[e]!.paths.includes(produced[p]!.path),
  }));
  const matchedE = new Set(matches.map((m) => m.expected));
  const matchedP = new Set(matches.map((m) => m.produced));
  const unmatched = produced.map((_, i) => i).filter((i) => !matchedP.has(i));
  const extra = unmatched.filter((i) => !produced[i]!.known);
  const forbiddenHits: LogScore["forbiddenHits"] = [];
  produced.forEach((p, i) => {
    const item = mustNot.findIndex((m) => hitsMustNot(p.text, m, threshold));
    if (item !== -1) forbiddenHits.push({ produced: i, item });
  });
  return {
    tp: matches.length,
    fp: extra.length,
    fn: expected.length - matches.length,
    wrongPath: matches.filter((m) => !m.pathOk).length,
    forbidden: forbiddenHits.length,
    known: unmatched.length - extra.length,
    matches,
    missed: expected.map((_, i) => i).filter((i) => !matchedE.has(i)),
    extra,
    forbiddenHits,
  };
}

/** A must-not item is hit by a fact that contains one of its substrings or matches its text. */
export function hitsMustNot(text: string, item: MustNotItem, threshold: number): boolean {
  const lower = text.toLowerCase();
  if (item.contains.some((s) => lower.includes(s.toLowerCase()))) return true;
  return item.text !== undefined && matchScore(text, [item.text], threshold) > 0;
}

export function sumCounts(scores: Counts[]): Counts {
  const t: Counts = { tp: 0, fp: 0, fn: 0, wrongPath: 0, forbidden: 0, known: 0 };
  for (const s of scores) {
    t.tp += s.tp;
    t.fp += s.fp;
    t.fn += s.fn;
    t.wrongPath += s.wrongPath;
    t.forbidden += s.forbidden;
    t.known += s.known;
  }
  return t;
}

/**
 * Micro-averaged metrics over a whole set. Precision is 1 when nothing was produced (no wrong
 * fact was proposed) and recall is 1 when nothing was expected, so a model that stays silent on
 * a set with nothing to extract scores 1, and one that stays silent on a set with facts scores 0.
 */
export function metricsOf(c: Counts): Metrics {
  const precision = c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp);
  const recall = c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, wrongPathRate: c.tp === 0 ? null : c.wrongPath / c.tp };
}
