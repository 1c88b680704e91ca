import { planDedup } from "../src/dedup/plan.js";
import { forJson, scopeResultJson } from "../src/dedup/report.js";
import type { ScopeFact } from "../src/dedup/survivor.js";
import { generateCatalog } from "./generate-catalog.js";

type Truth = { subject: string; value: string };

/** What one dedup run on a catalog-shaped brain did, judged against the generator's ground truth. */
export interface CatalogResult {
  facts: number;
  seconds: number;
  maxRssMiB: number;
  removed: number;
  contradictions: number;
  review: number;
  /** Removals whose kept fact is about another subject or says another value. */
  falseRemovals: number;
  /** Contradictions between different subjects, or the same subject with the same value. */
  falseContradictions: number;
  duplicatesPlanted: number;
  duplicatesRemoved: number;
  contradictionsPlanted: number;
  contradictionsFound: number;
  /** Size of what `kb dedup --json` would print for these plans. */
  jsonMiB: number;
}

/** Generate, time planning every scope, then judge each removal and contradiction by the truth. */
export function catalogChild(facts: number, seed: number): CatalogResult {
  const generated = generateCatalog({ facts, files: Math.max(10, Math.round(facts / 200)), seed });
  // The truth by fact index (ScopeFact.index), so the generator's objects can go before planning.
  const subjects: string[] = [];
  const values: string[] = [];
  const byScope = new Map<string, ScopeFact[]>();
  generated.facts.forEach((f, i) => {
    subjects.push(f.subject);
    values.push(f.value);
    const list = byScope.get(f.scope) ?? [];
    list.push({
      path: f.path,
      line: i + 1,
      index: i,
      text: f.text,
      pinned: false,
      hasChildren: false,
      date: "",
    });
    byScope.set(f.scope, list);
  });
  const planted = generated.planted;
  const plantedTexts = new Set(
    [...planted.duplicates, ...planted.contradictions].flatMap((p) => [p.a.text, p.b.text]),
  );
  const plantedTruth = new Map<string, Truth>();
  for (const f of generated.facts) {
    if (plantedTexts.has(f.text)) plantedTruth.set(f.text, { subject: f.subject, value: f.value });
  }
  generated.facts.length = 0;
  const start = performance.now();
  const plans = [...byScope.values()].map((list) => planDedup(list));
  const seconds = (performance.now() - start) / 1000;

  const of = (f: ScopeFact): Truth => ({ subject: subjects[f.index]!, value: values[f.index]! });
  const removedTexts = new Set<string>();
  let falseRemovals = 0;
  let falseContradictions = 0;
  const found = new Set<string>();
  for (const plan of plans) {
    for (const r of plan.removals) {
      removedTexts.add(r.fact.text);
      const [x, y] = [of(r.fact), of(r.kept)];
      if (x.subject !== y.subject || x.value !== y.value) falseRemovals++;
    }
    for (const c of plan.contradictions) {
      const [x, y] = [of(c.a), of(c.b)];
      if (x.subject !== y.subject || x.value === y.value) falseContradictions++;
      else found.add(claimKey(x, y));
    }
  }
  const duplicatesRemoved = planted.duplicates.filter(
    (d) => removedTexts.has(d.a.text) || removedTexts.has(d.b.text),
  ).length;
  const json = [...byScope.keys()].map((scope, k) =>
    forJson(
      scopeResultJson(scope, plans[k]!, { runId: 0, dryRun: true, files: [], skipped: [], report: null }),
    ),
  );
  const jsonMiB = Math.round((JSON.stringify(json).length / 2 ** 20) * 10) / 10;
  const contradictionsFound = planted.contradictions.filter((c) =>
    found.has(claimKey(plantedTruth.get(c.a.text)!, plantedTruth.get(c.b.text)!)),
  ).length;
  return {
    facts,
    seconds,
    maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    removed: removedTexts.size,
    contradictions: plans.reduce((n, p) => n + p.contradictions.length + p.omitted.contradiction, 0),
    review: plans.reduce((n, p) => n + p.review.length, 0),
    falseRemovals,
    falseContradictions,
    duplicatesPlanted: planted.duplicates.length,
    duplicatesRemoved,
    contradictionsPlanted: planted.contradictions.length,
    contradictionsFound,
    jsonMiB,
  };
}

/** A subject and the two values claimed for it, in either order. */
function claimKey(x: Truth, y: Truth): string {
  return `${x.subject}\u0000${[x.value, y.value].sort().join("\u0000")}`;
}
