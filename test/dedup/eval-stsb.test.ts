import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { evaluateStsb, parseStsbCsv } from "../../bench/eval-stsb.js";
import { sharedData } from "../helpers/index.js";

// Behaviour, not timing: the shipped thresholds (tuned on train) must meet the target on dev.
test("STS-B dev: auto-remove precision ≥ 0.97 and no auto-removal of a pair scored < 3", () => {
  const pairs = parseStsbCsv(readFileSync(join(sharedData, "stsb-en-dev.csv"), "utf8"));
  expect(pairs).toHaveLength(1500);
  expect(pairs.filter((p) => p.score >= 4)).toHaveLength(264);
  const figures = evaluateStsb(pairs);
  expect(figures.autoRemoved).toBeGreaterThan(10);
  expect(figures.autoPrecision).toBeGreaterThanOrEqual(0.97);
  expect(figures.autoBelow3).toBe(0);
});

test("the CSV reader handles quoted fields with commas and escaped quotes", () => {
  expect(parseStsbCsv('"He said ""hi"", then left.",Plain one,3.5\nx,y,0\n')).toEqual([
    { a: 'He said "hi", then left.', b: "Plain one", score: 3.5 },
    { a: "x", b: "y", score: 0 },
  ]);
});
