import { describe, expect, test } from "vitest";
import { assignPairs, disagreement, matchScore } from "../../src/eval/match.js";
import { recommend } from "../../src/eval/recommend.js";
import { metricsOf, type ProducedFact, scoreLog, sumCounts } from "../../src/eval/score.js";
import type { ExpectedFact, MustNotItem } from "../../src/eval/set.js";
import { median, quantile } from "../../src/eval/stats.js";

const T = 0.55;
const fact = (text: string, path = "finance/payments.md", alt: string[] = []): ExpectedFact => ({
  texts: [text, ...alt],
  paths: [path],
});
const out = (text: string, path = "finance/payments.md", known = false): ProducedFact => ({
  text,
  path,
  known,
});

const FEE = "From 2027-01-01 each chargeback costs a €20 fee, win or lose.";
const OSLO = "The Oslo store closes at 15:00 on 2026-12-23 and 2026-12-31.";
const CLOSE = "From January 2027 the books are closed by the 4th business day of the following month.";
const CAMILLA = "Camilla Riis approves the payment runs whenever Lars Berg is away.";

describe("scoring one log", () => {
  test("perfect: every expected fact produced once, in the right file", () => {
    const s = scoreLog(
      [fact(FEE), fact(OSLO, "retail/stores/oslo.md")],
      [],
      [
        out("Starting 2027-01-01, each chargeback costs €20, win or lose."),
        out(OSLO, "retail/stores/oslo.md"),
      ],
      T,
    );
    expect([s.tp, s.fp, s.fn, s.wrongPath]).toEqual([2, 0, 0, 0]);
    expect(metricsOf(s)).toEqual({ precision: 1, recall: 1, f1: 1, wrongPathRate: 0 });
  });

  test("empty: silence scores 1 on a log with nothing to extract and 0 on a log with facts", () => {
    expect(metricsOf(scoreLog([], [], [], T))).toEqual({
      precision: 1,
      recall: 1,
      f1: 1,
      wrongPathRate: null,
    });
    expect(metricsOf(scoreLog([fact(FEE)], [], [], T))).toEqual({
      precision: 1,
      recall: 0,
      f1: 0,
      wrongPathRate: null,
    });
    expect(metricsOf(scoreLog([], [], [out(FEE)], T))).toEqual({
      precision: 0,
      recall: 1,
      f1: 0,
      wrongPathRate: null,
    });
  });

  test("partial: 2 of 4 found plus one unexpected fact", () => {
    const s = scoreLog(
      [fact(FEE), fact(OSLO), fact(CLOSE), fact(CAMILLA)],
      [],
      [out(FEE), out(CLOSE), out("The finance Christmas lunch is at Restaurant Høst on 2026-12-11.")],
      T,
    );
    expect([s.tp, s.fp, s.fn]).toEqual([2, 1, 2]);
    expect(s.missed).toEqual([1, 3]);
    expect(s.extra).toEqual([2]);
    const m = metricsOf(s);
    expect(m.precision).toBeCloseTo(2 / 3, 10);
    expect(m.recall).toBe(0.5);
    expect(m.f1).toBeCloseTo(4 / 7, 10);
  });

  test("wrong path: the fact counts as found and the path is reported; any listed path is right", () => {
    const s = scoreLog(
      [
        fact(OSLO, "retail/stores/oslo.md"),
        { texts: [CAMILLA], paths: ["finance/accounts-payable.md", "company/people.md"] },
      ],
      [],
      [out(OSLO, "company/stores.md"), out(CAMILLA, "company/people.md")],
      T,
    );
    expect([s.tp, s.fp, s.fn, s.wrongPath]).toEqual([2, 0, 0, 1]);
    expect(s.matches.map((m) => m.pathOk)).toEqual([false, true]);
    expect(metricsOf(s).wrongPathRate).toBe(0.5);
  });

  test("duplicates in the output: one is matched, the copy is a false positive", () => {
    const s = scoreLog(
      [fact(FEE)],
      [],
      [out(FEE), out("Each chargeback costs a €20 fee from 2027-01-01, win or lose.")],
      T,
    );
    expect([s.tp, s.fp, s.fn]).toEqual([1, 1, 0]);
    const m = metricsOf(s);
    expect([m.precision, m.recall]).toEqual([0.5, 1]);
    expect(m.f1).toBeCloseTo(2 / 3, 10);
  });

  test("a fact kb mine would drop as already in the brain is neither right nor wrong", () => {
    const s = scoreLog(
      [],
      [],
      [out("European stores open at 10:00 Monday to Saturday.", "retail/stores/index.md", true)],
      T,
    );
    expect([s.tp, s.fp, s.fn, s.known]).toEqual([0, 0, 0, 1]);
  });

  test("must-not items: substrings in any case, or a statement matched like a fact", () => {
    const mustNot: MustNotItem[] = [
      { contains: ["fjord-posten"], why: "credential" },
      {
        text: "From 2027-01-01 the staff discount covers up to €3,000 per calendar year.",
        contains: [],
        why: "corrected",
      },
    ];
    const s = scoreLog(
      [
        fact(
          "From 2027-01-01 the staff discount covers up to €2,500 per calendar year.",
          "hr/payroll-and-benefits.md",
        ),
      ],
      mustNot,
      [
        out("The Posten portal password is Fjord-Posten-2026!", "customer-service/channels.md"),
        out(
          "From 2027-01-01 the staff discount covers up to €3,000 per calendar year.",
          "hr/payroll-and-benefits.md",
        ),
        out(
          "From 2027-01-01 the staff discount covers up to €2,500 per calendar year.",
          "hr/payroll-and-benefits.md",
        ),
      ],
      T,
    );
    expect(s.forbiddenHits).toEqual([
      { produced: 0, item: 0 },
      { produced: 1, item: 1 },
    ]);
    expect([s.tp, s.fp, s.fn, s.forbidden]).toEqual([1, 2, 0, 2]);
  });

  test("counts add up over logs before the ratios are taken (micro-average)", () => {
    const a = scoreLog([fact(FEE)], [], [out(FEE)], T);
    const b = scoreLog([fact(OSLO), fact(CLOSE), fact(CAMILLA)], [], [], T);
    const m = metricsOf(sumCounts([a, b]));
    expect([m.precision, m.recall]).toEqual([1, 0.25]);
    expect(m.f1).toBeCloseTo(0.4, 10);
  });
});

describe("matching a produced fact to a labelled one", () => {
  test("wording may differ and details may be left out", () => {
    expect(
      matchScore("On 2026-12-23 and 2026-12-31 the Oslo store closes at 15:00.", [OSLO], T),
    ).toBeGreaterThan(0.9);
    expect(matchScore("Adyen charges €20 per chargeback from 2027-01-01.", [FEE], T)).toBeGreaterThan(T);
    const gift =
      "Gift cards sold from 2026-12-01 are valid for 5 years; cards sold before then stay valid for 3 years.";
    expect(
      matchScore(
        "Gift cards sold from 2026-12-01 are valid for 5 years; older cards keep their 3-year validity.",
        [gift],
        T,
      ),
    ).toBeGreaterThan(T);
  });

  test("another number, date or place is never the same fact, however alike the words", () => {
    expect(disagreement("The Oslo store closes at 16:00 on 2026-12-23 and 2026-12-31.", OSLO)).toBe(
      "16:00 is not in the expected fact",
    );
    expect(disagreement("The Aarhus store closes at 15:00 on 2026-12-23 and 2026-12-31.", OSLO)).toBe(
      "aarhus instead of oslo",
    );
    expect(matchScore("The Aarhus store closes at 15:00 on 2026-12-23 and 2026-12-31.", [OSLO], T)).toBe(0);
    expect(disagreement("Fjord & Finch's Oslo store closes at 15:00 on 2026-12-23.", OSLO)).toBeNull();
  });

  test("an alternative wording counts when it scores better", () => {
    const alt = "Adyen's chargeback fee rises from €15 to €20 per case on 2027-01-01.";
    const produced = "Adyen's chargeback fee goes up from €15 to €20 per case on 2027-01-01.";
    expect(matchScore(produced, [FEE], T)).toBe(0);
    expect(matchScore(produced, [FEE, alt], T)).toBeGreaterThan(0.85);
  });

  test("one-to-one assignment matches as many pairs as possible, not greedily", () => {
    // Greedy best-first would pair row 0 with column 0 (0.9) and leave row 1 unmatched.
    expect(
      assignPairs([
        [0.9, 0.8],
        [0.85, 0],
      ]),
    ).toEqual([
      [0, 1],
      [1, 0],
    ]);
    expect(assignPairs([[0, 0]])).toEqual([]);
    expect(assignPairs([])).toEqual([]);
  });
});

describe("latency statistics", () => {
  test("median and nearest-rank p95", () => {
    const ms = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(quantile(ms, 0.95)).toBe(19);
    expect(quantile([120], 0.95)).toBe(120);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNull();
    expect(quantile([], 0.95)).toBeNull();
  });
});

describe("recommendation", () => {
  const c = (model: string, f1: number, costUsd: number | null, excluded: string | null = null) => ({
    model,
    f1,
    costUsd,
    excluded,
  });

  test("the cheapest model within the margin of the best F1", () => {
    const r = recommend([c("premium", 0.95, 0.021), c("cheap", 0.91, 0.0012), c("mid", 0.93, 0.004)], 0.05);
    expect(r.recommendation?.model).toBe("cheap");
    expect(r.recommendation?.reason).toBe(
      "F1 0.91 is within 0.05 of the best (premium, 0.95) at $0.0012 per pass against $0.0210 (94% less)",
    );
    expect(recommend([c("premium", 0.95, 0.021), c("cheap", 0.85, 0.0012)], 0.05).recommendation?.model).toBe(
      "premium",
    );
  });

  test("unknown prices rank after known ones; models that did not finish are left out", () => {
    const r = recommend(
      [
        c("local", 0.95, null),
        c("cheap", 0.94, 0.001),
        c("flaky", 0.99, 0.0001, "3 chunk(s) without an answer"),
      ],
      0.05,
    );
    expect(r.recommendation?.model).toBe("cheap");
    expect(r.note).toBe("left out: flaky (3 chunk(s) without an answer)");
  });

  test("no recommendation when nothing expected was found", () => {
    expect(recommend([c("a", 0, 0.1), c("b", 0, 0.2)], 0.05)).toEqual({
      recommendation: null,
      note: "no model produced any expected fact (F1 0)",
    });
  });
});
