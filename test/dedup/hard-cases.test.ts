import { describe, expect, test } from "vitest";
import { generateFacts } from "../../bench/generate.js";
import { decidePair, profileFact } from "../../src/dedup/decide.js";
import { planDedup } from "../../src/dedup/plan.js";
import type { ScopeFact } from "../../src/dedup/survivor.js";
import { scopeOf } from "../helpers/dedup.js";

const facts = (texts: string[], extra: Partial<ScopeFact>[] = []) => scopeOf(texts, { extra });

describe("planDedup on hand-written hard cases", () => {
  test("15 variants of one fact collapse to one survivor (newest, with provenance) that inherits the others' provenance", () => {
    const variants = [
      "Marta Ruiz is the CEO of Fjord & Finch.",
      "marta ruiz is the ceo of fjord & finch",
      "Marta Ruiz is the CEO of Fjord & Finch!",
      "**Marta Ruiz** is the CEO of Fjord & Finch.",
      "Marta  Ruiz is the CEO of  Fjord & Finch.",
      "MARTA RUIZ IS THE CEO OF FJORD & FINCH.",
      "Marta Ruiz is CEO of Fjord & Finch.",
      "Marta Ruiz is the CEO at Fjord & Finch.",
      "Marta Ruiz is the CEO of Fjord and Finch.",
      "Marta Ruiz, the CEO of Fjord & Finch.",
      "The CEO of Fjord & Finch is Marta Ruiz.",
      "Marta Ruiz is the CEO of Fjord & Finch. <!-- kb: hr 2026-03-01 -->",
      "Marta Ruiz is the CEO of Fjord & Finch; <!-- kb: hub 2026-05-02 -->",
      "Ｍａｒｔａ Ruiz is the CEO of Fjord & Finch.",
      "Marta Ruiz is the CEO of Fjord & Finch. <!-- kb: cs 2026-10-09 -->",
    ];
    const plan = planDedup(
      facts(
        variants,
        variants.map((t) => ({ date: /2026-10/.test(t) ? "2026-10-09" : "" })),
      ),
    );
    expect(plan.removals).toHaveLength(14);
    const kept = new Set(plan.removals.map((r) => r.kept.text));
    expect([...kept]).toEqual(["Marta Ruiz is the CEO of Fjord & Finch. <!-- kb: cs 2026-10-09 -->"]);
    expect(plan.replacements.map((r) => r.text)).toEqual([
      "Marta Ruiz is the CEO of Fjord & Finch. <!-- kb: hr 2026-03-01; hub 2026-05-02; cs 2026-10-09 -->",
    ]);
    for (const r of plan.removals) {
      expect(decidePair(profileFact(r.fact.text), profileFact(r.kept.text)).band).toBe("duplicate");
    }
  });

  test.each([
    ["Lars Berg is the CEO.", "Lars Berg is the CFO.", "roles differ (ceo)"],
    ["Gift cards are refundable.", "Gift cards are not refundable.", "negation differs"],
    [
      "The 2025 catalogue lists 120 styles.",
      "The 2026 catalogue lists 120 styles.",
      "numbers differ (2025 ≠ 2026)",
    ],
    ["Free EU shipping above €50.", "Free EU shipping above €60.", "numbers differ (€50 ≠ €60)"],
    [
      "Anna Berg reports to Ben Holm.",
      "Ben Holm reports to Anna Berg.",
      "names swapped (anna, berg, ben, holm)",
    ],
    ["Bestsellers go on the top shelf.", "Bestsellers go on the bottom shelf.", "antonyms (top / bottom)"],
    [
      "Staff get 40% off full-price items.",
      "Staff get 30% off full-price items.",
      "numbers differ (40% ≠ 30%)",
    ],
  ])("%s / %s: never removed, reported as a contradiction", (a, b, reason) => {
    const plan = planDedup(facts([a, b]));
    expect(plan.removals).toEqual([]);
    expect(plan.contradictions.map((c) => c.reason)).toEqual([reason]);
  });

  test.each([
    ["Love Me Do was performed by The Beatles.", "Love You To was performed by The Beatles."],
    [
      "Gone With The Wind was written by Margaret Mitchell.",
      "Gone To The Wind was written by Margaret Mitchell.",
    ],
  ])(
    "%s / %s: capitalised function words inside a title name different things, neither removed nor a contradiction",
    (a, b) => {
      const plan = planDedup(facts([a, b]));
      expect(plan.removals).toEqual([]);
      expect(plan.contradictions).toEqual([]);
      expect(decidePair(profileFact(a), profileFact(b)).reason).toMatch(/^names differ/);
    },
  );

  test("a superset that adds words to the subject is about another subject: listed for review, never removed", () => {
    const a = "jazz was created in the country of United States of America.";
    const b = "jazz rap was created in the country of United States of America.";
    const plan = planDedup(facts([a, b]));
    expect(plan.removals).toEqual([]);
    expect(plan.contradictions).toEqual([]);
    expect(decidePair(profileFact(a), profileFact(b))).toMatchObject({
      band: "review",
      reason: "the larger one names another subject (jazz was / jazz rap was)",
    });
    // Extra detail after the subject is still the same fact, said with more.
    expect(
      planDedup(
        facts([
          "Supplier invoices from Lanificio Bruni are paid within ten days of delivery.",
          "Supplier invoices from Lanificio Bruni are paid within ten days of delivery by bank.",
        ]),
      ).removals,
    ).toHaveLength(1);
  });

  test("the same title written in other case or with a lower-case article is still a duplicate", () => {
    const plan = planDedup(
      facts([
        "Love Me Do was performed by The Beatles.",
        "love me do was performed by the beatles",
        "MARTA RUIZ IS THE CEO OF FJORD & FINCH.",
        "Marta Ruiz is the CEO of Fjord & Finch.",
      ]),
    );
    expect(plan.removals.map((r) => [r.fact.text, r.kept.text])).toEqual([
      ["love me do was performed by the beatles", "Love Me Do was performed by The Beatles."],
      ["MARTA RUIZ IS THE CEO OF FJORD & FINCH.", "Marta Ruiz is the CEO of Fjord & Finch."],
    ]);
  });

  test("CJK duplicates are found without word boundaries; a changed number is a contradiction", () => {
    const plan = planDedup(
      facts([
        "代官山店の営業時間は11時から20時までです。",
        "代官山店の営業時間は、11時から20時までです",
        "代官山店の営業時間は11時から21時までです。",
      ]),
    );
    expect(plan.removals).toHaveLength(1);
    expect(plan.contradictions).toHaveLength(1);
    expect(plan.contradictions[0]!.reason).toMatch(/^numbers differ/);
  });

  test("pinned facts and facts with nested items are never removed", () => {
    const plan = planDedup(
      facts(
        ["Prices include VAT. <!-- kb:pin -->", "prices include VAT", "Prices include VAT!"],
        [{ pinned: true }, { pinned: true }, { hasChildren: true }],
      ),
    );
    expect(plan.removals).toEqual([]);
  });

  test("the blocking index finds what all-pairs finds, and nothing chains", () => {
    const generated = generateFacts({
      files: 60,
      facts: 2500,
      seed: 7,
      duplicateRate: 0.05,
      contradictionRate: 0.02,
    });
    const list = facts(generated.facts.map((f) => f.text));
    const exact = planDedup(list, { useLsh: false });
    const lsh = planDedup(list, { useLsh: true });
    expect(exact.removals.length).toBeGreaterThan(50);
    expect(lsh.removals.map((r) => r.fact.line)).toEqual(exact.removals.map((r) => r.fact.line));
    expect(lsh.contradictions.length).toBeGreaterThanOrEqual(exact.contradictions.length * 0.95);
    for (const r of lsh.removals) {
      expect(decidePair(profileFact(r.fact.text), profileFact(r.kept.text)).band).toBe("duplicate");
    }
  });
});
