import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { generateFacts } from "../../bench/generate.js";
import { parseBrainText } from "../../src/brain/parse.js";
import { applyPlan } from "../../src/dedup/apply.js";
import { scopeFacts } from "../../src/dedup/facts.js";
import { type DedupPlan, planDedup } from "../../src/dedup/plan.js";
import { undoRun } from "../../src/dedup/undo.js";
import { createLogger } from "../../src/runtime/log.js";
import { openDb } from "../../src/state/db.js";
import { scopeOf } from "../helpers/dedup.js";
import { tempDir } from "../helpers/index.js";
import { SUPERSET_PAIRS } from "./superset-pairs.js";

const facts = (texts: string[]) => scopeOf(texts);

/** What a plan did with the pair: the shorter removed for the longer, listed, or nothing. */
function outcome(plan: DedupPlan, short: string, long: string): string {
  if (plan.removals.some((r) => r.fact.text === long)) return "longer removed";
  if (plan.removals.some((r) => r.fact.text === short && r.kept.text === long)) return "removed";
  const listed = (list: DedupPlan["review"]) =>
    list.some((p) => [p.a.text, p.b.text].sort().join("|") === [short, long].sort().join("|"));
  if (listed(plan.review)) return "review";
  if (listed(plan.contradictions)) return "contradiction";
  return "neither";
}

const count = (outcomes: string[]) =>
  Object.fromEntries([...new Set(outcomes)].sort().map((o) => [o, outcomes.filter((x) => x === o).length]));

describe("a fact and a version that says more", () => {
  test("each of the 40 held-out pairs: the shorter removed in favour of the longer, or listed for review", () => {
    const outcomes = SUPERSET_PAIRS.map(([a, b]) => outcome(planDedup(facts([a, b])), a, b));
    expect(SUPERSET_PAIRS).toHaveLength(40);
    expect(count(outcomes)).toEqual({ removed: 24, review: 16 });
  });

  test("the same among 1,500 other facts, through the blocking index", () => {
    const others = generateFacts({ files: 30, facts: 1500, seed: 3 }).facts.map((f) => f.text);
    const plan = planDedup(facts([...others, ...SUPERSET_PAIRS.flat()]), { useLsh: true });
    const outcomes = SUPERSET_PAIRS.map(([a, b]) => outcome(plan, a, b));
    expect(count(outcomes)).toEqual({ removed: 24, review: 16 });
  });

  test.each([
    ["Gift cards are refundable.", "Gift cards are refundable only in the Oslo store."],
    ["Gift cards are refundable.", "Gift cards are refundable until 2025."],
    ["The Oslo store opens at 10:00.", "The Oslo store opens at 10:00, except in July."],
    ["Returns are free.", "Returns are free no longer."],
    ["Gift cards are refundable.", "Gift cards are not refundable for EU orders."],
    ["The warehouse is in Porto.", "The warehouse is in Porto Alegre."],
    ["Stock of the blue tote is 10.", "Stock of the blue tote is 10 000 units."],
    ["SKU 10042 costs €45.", "SKU 10042 costs €45 plus VAT."],
    ["Anna Holm reports to Ben Dahl.", "Ben Dahl reports to Anna Holm since 2024."],
    ["North Korea nuclear test", "North Korea nuclear test sparks worry"],
    // words added to the subject may name another thing (MQuAKE-hard)
    ["iPad was developed by Apple Inc.", "iPad (3rd generation) was developed by Apple Inc."],
  ])("%s / %s: never removed, listed for a person", (short, long) => {
    const plan = planDedup(facts([short, long]));
    expect(plan.removals).toEqual([]);
    expect(["review", "contradiction"]).toContain(outcome(plan, short, long));
  });

  test("facts about different subjects are neither merged nor listed", () => {
    const plan = planDedup(facts(["SKU 10042 costs €45.", "SKU 10043 costs €45 including VAT."]));
    expect(plan.removals).toEqual([]);
    expect([...plan.review, ...plan.contradictions]).toEqual([]);
  });

  test("a removal is an ordinary one: archived with its reason in the plan, and `kb undo` restores the bytes", async () => {
    const brain = tempDir();
    const text = [
      "# Stores",
      "",
      "- The Porto store opens at 10:00.",
      "- Orders from Lyon ship from the Porto warehouse (since 2024).",
      "- The Porto store opens at 10:00 on weekdays and Saturdays.",
      "- Orders from Lyon ship from the Porto warehouse.",
      "",
    ].join("\n");
    writeFileSync(join(brain, "stores.md"), text);
    const parsed = parseBrainText("stores.md", text, { size: 0, mtimeMs: 0, hash: "" });
    if (!parsed.ok) throw new Error(parsed.error.message);
    const plan = planDedup(scopeFacts([parsed.doc]));
    expect(plan.removals.map((r) => [r.fact.text, r.kept.text, r.reason])).toEqual([
      [
        "The Porto store opens at 10:00.",
        "The Porto store opens at 10:00 on weekdays and Saturdays.",
        "contained: the longer one adds “on weekdays and saturdays”",
      ],
      [
        "Orders from Lyon ship from the Porto warehouse.",
        "Orders from Lyon ship from the Porto warehouse (since 2024).",
        "contained: the longer one adds “(since 2024)”",
      ],
    ]);
    const db = openDb(join(tempDir(), "state"));
    const log = createLogger({ json: true, level: "error", write: () => {} });
    try {
      await applyPlan(plan, { brain, runId: 1, db, log });
      expect(readFileSync(join(brain, "stores.md"), "utf8")).toBe(
        "# Stores\n\n- Orders from Lyon ship from the Porto warehouse (since 2024).\n- The Porto store opens at 10:00 on weekdays and Saturdays.\n",
      );
      await undoRun(db, 1, { now: "2026-12-02T00:00:00Z" });
      expect(readFileSync(join(brain, "stores.md"), "utf8")).toBe(text);
    } finally {
      db.close();
    }
  });
});
