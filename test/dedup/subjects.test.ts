import { describe, expect, test } from "vitest";
import { checkDuplicate } from "../../src/dedup/check.js";
import { decidePair, profileFact } from "../../src/dedup/decide.js";
import { subjectIdentifiers } from "../../src/dedup/identifiers.js";
import { planDedup } from "../../src/dedup/plan.js";
import { scopeOf } from "../helpers/dedup.js";

const facts = (texts: string[]) => scopeOf(texts);

const decide = (a: string, b: string) => {
  const d = decidePair(profileFact(a), profileFact(b));
  return `${d.band}: ${d.reason}`;
};

describe("the role guard", () => {
  test.each([
    ["The turtle is following the fish.", "The fish is following the turtle."],
    ["The warehouse ships returns to the store.", "The store ships returns to the warehouse."],
    ["The new tote replaced the old canvas bag.", "The old canvas bag replaced the new tote."],
    ["Stock counts happen before the weekly delivery.", "The weekly delivery happens before stock counts."],
  ])("%s / %s: the same words with roles swapped are never removed", (a, b) => {
    const plan = planDedup(facts([a, b]));
    expect(plan.removals).toEqual([]);
    expect([...plan.review, ...plan.contradictions]).toHaveLength(1);
    expect(checkDuplicate(b, [a]).kind).not.toBe("duplicate");
  });

  test("a rotation around the verb says the same and is still a duplicate", () => {
    expect(
      decide("The CEO of Fjord & Finch is Marta Ruiz.", "Marta Ruiz is the CEO of Fjord & Finch."),
    ).toMatch(/^duplicate/);
    expect(decide("Gift wrap is free for members.", "For members, gift wrap is free.")).toMatch(/^duplicate/);
  });

  test("names the words out of place", () => {
    expect(
      decide("The warehouse ships returns to the store.", "The store ships returns to the warehouse."),
    ).toBe("review: word order differs (warehouse / store)");
  });
});

describe("identifiers as subjects", () => {
  test.each([
    ["SKU 1001 (linen shirt, white) costs €50.", ["sku 1001"]],
    ["Order #55123 was refunded on 2026-11-02.", ["order 55123"]],
    ["Invoice no. 88 is due on 2026-12-01.", ["invoice 88"]],
    ["INV-2026-001 was paid in full.", ["inv-2026-001"]],
    ["2026-11-02: the Oslo store closed at 15:00.", ["date 2026-11-02"]],
    ["The manager of store 12 is employee E-1042.", ["store 12"]],
    ["Free EU shipping above €60.", []],
    ["The Oslo store opens at 10:00 on Saturdays.", ["day saturday"]],
    ["The launch is on Monday.", []],
  ])("%s → %j", (text, ids) => {
    expect(subjectIdentifiers(text)).toEqual(ids);
  });

  test.each([
    ["SKU 1001 (linen shirt, white) costs €50.", "SKU 1002 (linen shirt, blue) costs €60."],
    ["Order 55123 was refunded on 2026-11-02.", "Order 55124 was refunded on 2026-11-03."],
    ["Ticket 4411 is assigned to the returns team.", "Ticket 4412 is assigned to the returns team."],
    ["INV-2026-001 is due on 2026-12-01.", "INV-2026-002 is due on 2026-12-15."],
    ["The Oslo store opens at 10:00 on Mondays.", "The Oslo store opens at 10:00 on Tuesdays."],
  ])("%s / %s: different subjects are neither duplicates nor contradictions", (a, b) => {
    expect(decide(a, b)).toMatch(/^distinct: different subjects/);
    const plan = planDedup(facts([a, b]));
    expect([plan.removals, plan.contradictions, plan.review]).toEqual([[], [], []]);
  });

  test.each([
    ["SKU 10007 costs €45.", "SKU 10007 costs €55.", "numbers differ (€45 ≠ €55)"],
    [
      "Order 55123 was refunded on 2026-11-02.",
      "Order 55123 was refunded on 2026-11-09.",
      "numbers differ (2026-11-02 ≠ 2026-11-09)",
    ],
    [
      "The manager of store 12 is employee E-1042.",
      "The manager of store 12 is employee E-2001.",
      "names differ (e-1042)",
    ],
    ["Store 12 is managed by Anna Holm.", "Store 12 is managed by Erik Lund.", "names differ (anna)"],
    [
      "The Oslo store opens at 10:00 on Mondays.",
      "The Oslo store opens at 11:00 on Mondays.",
      "numbers differ (10:00 ≠ 11:00)",
    ],
    [
      "Ticket 4411 about a late delivery is assigned to the returns team.",
      "Ticket 4411 about a billing error is assigned to the payments team.",
      "values differ (late / billing, error, payment)",
    ],
    [
      "Ticket 4411 about a late delivery is assigned to the delivery team.",
      "Ticket 4411 about a late delivery is assigned to the payments team.",
      "values differ (delivery / payment)",
    ],
  ])("%s / %s: the same subject with another value is a contradiction", (a, b, reason) => {
    const plan = planDedup(facts([a, b]));
    expect(plan.removals).toEqual([]);
    expect(plan.contradictions.map((c) => c.reason)).toEqual([reason]);
  });

  test("the same subject written twice is still a duplicate", () => {
    const plan = planDedup(facts(["SKU 1001 costs €50.", "SKU 1001 costs €50!", "sku 1001 costs €50"]));
    expect(plan.removals).toHaveLength(2);
  });
});
