import { describe, expect, test } from "vitest";
import { checkDuplicate, normaliseFact, similarity } from "../../src/dedup/check.js";

const existing = [
  "Free EU shipping above €60. <!-- kb: finance 2026-11-20 -->",
  "Marta Ruiz is the CEO.",
  "The Oslo store is open on Sundays.",
  "Anna Berg reports to Ben Holm.",
  "退货期限为30天。",
];

describe("normaliseFact", () => {
  test("drops markers, emphasis, provenance, case, spacing and trailing punctuation", () => {
    expect(normaliseFact("  - **Free**  EU shipping above ＥＵＲ 60!!  <!-- kb: cs 2026-01-02 -->")).toBe(
      "free eu shipping above eur 60",
    );
    expect(normaliseFact("1. Returns within 30 days;")).toBe("returns within 30 days");
    expect(normaliseFact("退货期限为30天。")).toBe("退货期限为30天");
  });
});

describe("similarity", () => {
  test("is 1 for texts equal after normalisation and symmetric", () => {
    expect(similarity("Free shipping.", "free   SHIPPING")).toBe(1);
    expect(similarity("abc def", "xyz")).toBe(similarity("xyz", "abc def"));
    expect(similarity("Returns within 30 days", "Payroll runs monthly")).toBeLessThan(0.3);
  });
});

describe("checkDuplicate", () => {
  const kinds = (text: string) => {
    const v = checkDuplicate(text, existing);
    return v.kind === "distinct"
      ? "distinct"
      : `${v.kind} #${v.match}${v.kind === "contradiction" ? ` ${v.reason}` : ""}`;
  };

  test("exact and near duplicates add nothing", () => {
    expect(kinds("free EU shipping above €60")).toBe("duplicate #0");
    expect(kinds("Our CEO is Marta Ruiz")).toBe("duplicate #1");
    expect(kinds("退货期限为30天")).toBe("duplicate #4");
  });

  test("a richer version is a superset", () => {
    expect(kinds("Marta Ruiz is the CEO of Fjord & Finch.")).toBe("superset #1");
  });

  test("look-alikes that disagree on a guarded token are contradictions", () => {
    expect(kinds("Free EU shipping above €50.")).toBe("contradiction #0 numbers differ (€60 ≠ €50)");
    expect(kinds("Marta Ruiz is the CFO.")).toBe("contradiction #1 roles differ (ceo)");
    expect(kinds("The Oslo store is not open on Sundays.")).toBe("contradiction #2 negation differs");
    expect(kinds("The Oslo store is open on Mondays.")).toBe(
      "contradiction #2 numbers differ (sunday ≠ monday)",
    );
    expect(kinds("Ben Holm reports to Anna Berg.")).toBe(
      "contradiction #3 names swapped (anna, berg, ben, holm)",
    );
    expect(kinds("退货期限为60天。")).toMatch(/^contradiction #4 numbers differ/);
  });

  test("unrelated facts are distinct", () => {
    expect(kinds("Payroll runs on the 25th of each month.")).toBe("distinct");
    expect(checkDuplicate("anything", [])).toEqual({ kind: "distinct" });
  });
});
