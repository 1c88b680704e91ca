import { planDedup } from "../src/dedup/plan.js";
import type { ScopeFact } from "../src/dedup/survivor.js";
import { generateLowVariety } from "./generate-low-variety.js";

/** What one dedup run on a low-variety brain did, judged against the generator's ground truth. */
export interface LowVarietyResult {
  facts: number;
  seconds: number;
  maxRssMiB: number;
  removed: number;
  contradictions: number;
  review: number;
  /** Removals whose kept fact is not the one the removed fact copies (or a copy of it). */
  falseRemovals: number;
  duplicatesPlanted: number;
  duplicatesRemoved: number;
}

/** Generate, time planning the scope, then judge each removal by the facts' origins. */
export function lowVarietyChild(facts: number, seed: number): LowVarietyResult {
  const generated = generateLowVariety({ facts, files: Math.max(10, Math.round(facts / 200)), seed });
  const origins = generated.facts.map((f) => f.origin);
  const list: ScopeFact[] = generated.facts.map((f, i) => ({
    path: f.path,
    line: i + 1,
    index: i,
    text: f.text,
    pinned: false,
    hasChildren: false,
    date: "",
  }));
  generated.facts.length = 0;
  const start = performance.now();
  const plan = planDedup(list);
  const seconds = (performance.now() - start) / 1000;
  const removed = new Set(plan.removals.map((r) => r.fact.index));
  return {
    facts,
    seconds,
    maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    removed: removed.size,
    contradictions: plan.contradictions.length + plan.omitted.contradiction,
    review: plan.review.length,
    falseRemovals: plan.removals.filter((r) => origins[r.fact.index] !== origins[r.kept.index]).length,
    duplicatesPlanted: generated.planted.length,
    duplicatesRemoved: generated.planted.filter(
      ([copy, original]) => removed.has(copy) || removed.has(original),
    ).length,
  };
}
