import { describe, expect, test } from "vitest";
import { rng } from "../../bench/generate.js";
import { generateLowVariety } from "../../bench/generate-low-variety.js";
import { forEachCandidatePair } from "../../src/dedup/lsh.js";
import { normaliseFact } from "../../src/dedup/normalise.js";
import { planDedup } from "../../src/dedup/plan.js";
import { scopeOf } from "../helpers/dedup.js";

const scope = (texts: string[]) => scopeOf(texts, { dir: "ops", files: 7 });

describe("low-variety text (a 36-word vocabulary)", () => {
  const { facts, planted } = generateLowVariety({ facts: 6000, files: 30, seed: 5 });
  const texts = facts.map((f) => f.text);

  test("the blocking index proposes a bounded number of pairs per fact, not most of the scope", () => {
    const keys = [...new Set(texts.map(normaliseFact))];
    let pairs = 0;
    forEachCandidatePair(keys, () => pairs++, { useLsh: true });
    expect(pairs / keys.length).toBeLessThan(2);
  });

  test("every planted copy is removed, and nothing else", () => {
    const plan = planDedup(scope(texts));
    const removed = new Set(plan.removals.map((r) => r.fact.index));
    expect(planted.filter(([copy, original]) => removed.has(copy) || removed.has(original))).toHaveLength(
      planted.length,
    );
    expect(plan.removals.filter((r) => facts[r.fact.index]!.origin !== facts[r.kept.index]!.origin)).toEqual(
      [],
    );
  });

  test("a copy with one word misspelt still meets its original", () => {
    const random = rng(9);
    const originals = Array.from({ length: 60 }, () => Math.floor(random() * texts.length));
    const typos = originals.map((i) => texts[i]!.replace(/^(\S+ \S+ )(\S)(\S)/, "$1$3$2"));
    const plan = planDedup(scope([...texts, ...typos]));
    const met = typos.filter((typo, k) => {
      const pair = [typo, texts[originals[k]!]!].sort().join("|");
      const listed = [...plan.review, ...plan.contradictions].some(
        (p) => [p.a.text, p.b.text].sort().join("|") === pair,
      );
      return listed || plan.removals.some((r) => r.fact.text === typo || r.kept.text === typo);
    });
    expect(met.length / typos.length).toBeGreaterThanOrEqual(0.95);
  });
});
