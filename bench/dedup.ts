import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { normaliseFact } from "../src/dedup/normalise.js";
import { planDedup } from "../src/dedup/plan.js";
import type { ScopeFact } from "../src/dedup/survivor.js";
import { type CatalogResult, catalogChild } from "./dedup-catalog.js";
import { type LowVarietyResult, lowVarietyChild } from "./dedup-low-variety.js";
import { type GeneratedFact, generateFacts, type Planted } from "./generate.js";
import type { BenchOptions, BenchRow } from "./types.js";

/**
 * Dedup on seeded synthetic facts with planted duplicates and contradictions, from three
 * generators: the rich one (random names and words), the catalog one (templated facts that differ
 * in an identifier and a value, judged fact by fact against its ground truth) and the low-variety
 * one (random phrases from 36 words, every 50th fact a copy, judged by each fact's origin). Each size runs in a
 * child process (so peak RSS is that run's own) and measures the dedup engine — planning every
 * scope on facts held in memory; generation and the file scan are not timed. The baseline is the
 * naive all-pairs character-bigram Dice that string-similarity computes (reimplemented here),
 * timed on a sample in the same run and scaled by the pair count.
 */
interface ChildResult {
  facts: number;
  seconds: number;
  maxRssMiB: number;
  removed: number;
  contradictions: number;
  recall: number;
  recallWithReview: number;
  falseRemovals: number;
  contradictionsFound: number;
  contradictionsPlanted: number;
}

export async function bench(options: BenchOptions): Promise<BenchRow[]> {
  const sizes = options.quick ? [5_000, 20_000] : [20_000, 200_000, 1_000_000];
  const rows: BenchRow[] = [];
  let at20k: ChildResult | undefined;
  for (const facts of sizes) {
    const r = runChild<ChildResult>(facts, options.seed, "rich");
    if (facts === 20_000) at20k = r;
    const budget = facts === 200_000 ? 10 : facts === 1_000_000 ? 60 : undefined;
    rows.push({
      area: "dedup",
      name: `dedup ${label(facts)} facts (engine, in memory)`,
      value: round(r.seconds),
      unit: "s",
      ...(budget ? { budget: `≤ ${budget} s`, pass: r.seconds <= budget } : {}),
      note: `planning all scopes on generated facts; peak RSS ${r.maxRssMiB} MiB; ${r.removed} removed, ${r.contradictions} contradictions; recall of planted duplicates ${pct(r.recall)} removed, ${pct(r.recallWithReview)} removed or listed for review; ${r.falseRemovals} false removals; ${r.contradictionsFound}/${r.contradictionsPlanted} planted contradictions reported`,
    });
    rows.push({
      area: "dedup",
      name: `dedup ${label(facts)} facts peak RSS`,
      value: r.maxRssMiB,
      unit: "MiB",
      ...rssBudget(facts, r.maxRssMiB),
    });
    rows.push({
      area: "dedup",
      name: `dedup ${label(facts)} recall of planted duplicates`,
      value: round(r.recall),
      unit: "ratio",
    });
    rows.push({
      area: "dedup",
      name: `dedup ${label(facts)} false removals`,
      value: r.falseRemovals,
      unit: "count",
      budget: "0",
      pass: r.falseRemovals === 0,
    });
  }
  if (at20k) rows.push(baselineRow(at20k, options.seed));
  for (const facts of sizes)
    rows.push(...catalogRows(runChild<CatalogResult>(facts, options.seed, "catalog")));
  // The low-variety brain's budget is set at 200k facts; 1M is left out to spare the machine.
  for (const facts of sizes.filter((n) => n <= 200_000))
    rows.push(...lowVarietyRows(runChild<LowVarietyResult>(facts, options.seed, "low-variety")));
  return rows;
}

/** The low-variety generator's rows: cost, and each removal judged by the facts' origins. */
function lowVarietyRows(r: LowVarietyResult): BenchRow[] {
  const name = `dedup low-variety ${label(r.facts)} facts`;
  return [
    {
      area: "dedup",
      name: `${name} (engine, in memory)`,
      value: round(r.seconds),
      unit: "s",
      ...(r.facts === 200_000 ? { budget: "≤ 10 s", pass: r.seconds <= 10 } : {}),
      note: `random phrases from a 36-word vocabulary plus a reference number, every 50th fact a copy; peak RSS ${r.maxRssMiB} MiB; ${r.removed} removed, ${r.contradictions} contradictions, ${r.review} review pairs listed`,
    },
    {
      area: "dedup",
      name: `${name} peak RSS`,
      value: r.maxRssMiB,
      unit: "MiB",
      ...rssBudget(r.facts, r.maxRssMiB),
    },
    {
      area: "dedup",
      name: `${name} false removals`,
      value: r.falseRemovals,
      unit: "count",
      budget: "0",
      pass: r.falseRemovals === 0,
      note: "kept fact is not the one the removed fact copies",
    },
    {
      area: "dedup",
      name: `${name} planted copies removed`,
      value: r.duplicatesRemoved,
      unit: "count",
      budget: `all ${r.duplicatesPlanted}`,
      pass: r.duplicatesRemoved === r.duplicatesPlanted,
    },
  ];
}

function rssBudget(facts: number, mib: number): Pick<BenchRow, "budget" | "pass"> {
  if (facts === 200_000) return { budget: "≤ 1024 MiB", pass: mib <= 1024 };
  if (facts === 1_000_000) return { budget: "≤ 2048 MiB", pass: mib <= 2048 };
  return {};
}

/** The catalog generator's rows: cost, and every decision judged against its ground truth. */
function catalogRows(r: CatalogResult): BenchRow[] {
  const name = `dedup catalog ${label(r.facts)} facts`;
  const budget = r.facts === 200_000 ? 10 : r.facts === 1_000_000 ? 60 : undefined;
  const allowed = Math.floor(r.facts / 1000);
  return [
    {
      area: "dedup",
      name: `${name} (engine, in memory)`,
      value: round(r.seconds),
      unit: "s",
      ...(budget ? { budget: `≤ ${budget} s`, pass: r.seconds <= budget } : {}),
      note: `templated catalog facts (SKUs, orders, tickets, invoices, restock notes without identifiers, store hours, staff); peak RSS ${r.maxRssMiB} MiB; ${r.removed} removed, ${r.contradictions} contradictions, ${r.review} review pairs listed; --json ${r.jsonMiB} MiB`,
    },
    {
      area: "dedup",
      name: `${name} peak RSS`,
      value: r.maxRssMiB,
      unit: "MiB",
      ...rssBudget(r.facts, r.maxRssMiB),
    },
    {
      area: "dedup",
      name: `${name} false removals`,
      value: r.falseRemovals,
      unit: "count",
      budget: "0",
      pass: r.falseRemovals === 0,
      note: `kept fact about another subject or with another value; ${r.duplicatesRemoved}/${r.duplicatesPlanted} planted duplicates removed`,
    },
    {
      area: "dedup",
      name: `${name} false contradictions`,
      value: r.falseContradictions,
      unit: "count",
      budget: `≤ 0.1% of facts (${allowed})`,
      pass: r.falseContradictions <= allowed,
      note: `of ${r.contradictions} reported; a true one is the same subject with another value`,
    },
    {
      area: "dedup",
      name: `${name} planted contradictions reported`,
      value: r.contradictionsFound,
      unit: "count",
      budget: `all ${r.contradictionsPlanted}`,
      pass: r.contradictionsFound === r.contradictionsPlanted,
    },
  ];
}

function baselineRow(engine: ChildResult, seed: number): BenchRow {
  const { facts, planted } = generateFacts({ files: 1000, facts: 20_000, seed });
  const sample = facts.slice(0, 2_000);
  const start = performance.now();
  const removed = naiveDedup(
    sample.map((f) => f.text),
    0.9,
  );
  const sampleSeconds = (performance.now() - start) / 1000;
  const scale = (20_000 * 19_999) / (sample.length * (sample.length - 1));
  const baselineSeconds = sampleSeconds * scale;
  const truth = dupTexts(planted);
  const precisionBaseline =
    removed.length === 0 ? 1 : removed.filter((t) => truth.has(t)).length / removed.length;
  const precisionEngine = engine.removed === 0 ? 1 : 1 - engine.falseRemovals / engine.removed;
  const speedup = baselineSeconds / engine.seconds;
  return {
    area: "dedup",
    name: "dedup 20k facts speed-up over naive all-pairs Dice",
    value: Math.round(speedup),
    unit: "x",
    baseline: {
      name: "string-similarity-style all-pairs Dice ≥ 0.9",
      value: round(baselineSeconds),
      unit: "s",
    },
    budget: "≥ 100× with equal or better precision",
    pass: speedup >= 100 && precisionEngine >= precisionBaseline,
    note: `baseline timed on ${sample.length} facts (${round(sampleSeconds)} s) and scaled by pair count; precision engine ${round(precisionEngine)} vs baseline ${round(precisionBaseline)} (on the sample)`,
  };
}

/** What string-similarity's compareTwoStrings does for every pair: a fresh bigram Map per call. */
export function compareTwoStrings(first: string, second: string): number {
  const a = first.replace(/\s+/g, "");
  const b = second.replace(/\s+/g, "");
  if (a === b) return 1;
  if (a.length < 2 || b.length < 2) return 0;
  const bigrams = new Map<string, number>();
  for (let i = 0; i < a.length - 1; i++) {
    const g = a.substring(i, i + 2);
    bigrams.set(g, (bigrams.get(g) ?? 0) + 1);
  }
  let hits = 0;
  for (let i = 0; i < b.length - 1; i++) {
    const g = b.substring(i, i + 2);
    const n = bigrams.get(g) ?? 0;
    if (n > 0) {
      bigrams.set(g, n - 1);
      hits++;
    }
  }
  return (2 * hits) / (a.length + b.length - 2);
}

/** Naive dedup: every pair, lower-cased, remove the later fact of any pair at or above the threshold. */
function naiveDedup(texts: string[], threshold: number): string[] {
  const lower = texts.map((t) => t.toLowerCase());
  const removed = new Set<number>();
  for (let i = 0; i < lower.length; i++) {
    for (let j = i + 1; j < lower.length; j++) {
      if (compareTwoStrings(lower[i]!, lower[j]!) >= threshold) removed.add(j);
    }
  }
  return [...removed].map((i) => texts[i]!);
}

function dupTexts(planted: Planted): Set<string> {
  return new Set(planted.duplicates.flatMap((d) => [d.a.text, d.b.text]));
}

type Generator = "rich" | "catalog" | "low-variety";

function runChild<T>(facts: number, seed: number, generator: Generator): T {
  const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
    env: { ...process.env, KB_BENCH_DEDUP_CHILD: JSON.stringify({ facts, seed, generator }) },
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split("\n").at(-1)!) as T;
}

/** The child: generate, then time planning every scope, then report recall and false removals. */
function child(facts: number, seed: number): ChildResult {
  const generated = generateFacts({ files: Math.max(10, Math.round(facts / 20)), facts, seed });
  const byScope = new Map<string, GeneratedFact[]>();
  for (const f of generated.facts) {
    const list = byScope.get(f.scope);
    if (list) list.push(f);
    else byScope.set(f.scope, [f]);
  }
  const start = performance.now();
  const removedTexts: string[] = [];
  const exactRemovals = new Set<string>();
  const contradictionKeys = new Set<string>();
  const reviewKeys = new Set<string>();
  let reported = 0;
  for (const list of byScope.values()) {
    const plan = planDedup(list.map(toScopeFact));
    reported += plan.contradictions.length + plan.omitted.contradiction;
    for (const r of plan.removals) {
      removedTexts.push(r.fact.text);
      if (normaliseFact(r.fact.text) === normaliseFact(r.kept.text)) exactRemovals.add(r.fact.text);
    }
    for (const c of plan.contradictions) contradictionKeys.add(pairKey(c.a.text, c.b.text));
    for (const c of plan.review) reviewKeys.add(pairKey(c.a.text, c.b.text));
  }
  const seconds = (performance.now() - start) / 1000;
  const truth = dupTexts(generated.planted);
  const removedKeys = new Set(removedTexts.map(normaliseFact));
  const isRemoved = (d: { a: { text: string }; b: { text: string } }) =>
    removedKeys.has(normaliseFact(d.a.text)) || removedKeys.has(normaliseFact(d.b.text));
  const found = generated.planted.duplicates.filter(isRemoved).length;
  const flagged = generated.planted.duplicates.filter(
    (d) => isRemoved(d) || reviewKeys.has(pairKey(d.a.text, d.b.text)),
  ).length;
  // The generator sometimes plants a "contradiction" identical to its original (a template without
  // a number): that pair is a true duplicate, so only pairs whose texts differ count.
  const contradictions = generated.planted.contradictions.filter(
    (c) => normaliseFact(c.a.text) !== normaliseFact(c.b.text),
  );
  return {
    facts,
    seconds,
    maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    removed: removedTexts.length,
    contradictions: reported,
    recall: found / Math.max(1, generated.planted.duplicates.length),
    recallWithReview: flagged / Math.max(1, generated.planted.duplicates.length),
    falseRemovals: removedTexts.filter((t) => !truth.has(t) && !exactRemovals.has(t)).length,
    contradictionsFound: contradictions.filter((c) => contradictionKeys.has(pairKey(c.a.text, c.b.text)))
      .length,
    contradictionsPlanted: contradictions.length,
  };
}

function toScopeFact(f: GeneratedFact, i: number): ScopeFact {
  return { path: f.path, line: i + 1, index: i, text: f.text, pinned: false, hasChildren: false, date: "" };
}

function pairKey(a: string, b: string): string {
  return [a, b].sort().join("\u0000");
}

const label = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`);
const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
const round = (x: number) => Math.round(x * 1000) / 1000;

const childSpec = process.env.KB_BENCH_DEDUP_CHILD;
if (childSpec && process.argv[1] === fileURLToPath(import.meta.url)) {
  const { facts, seed, generator } = JSON.parse(childSpec) as {
    facts: number;
    seed: number;
    generator: Generator;
  };
  const result =
    generator === "catalog"
      ? catalogChild(facts, seed)
      : generator === "low-variety"
        ? lowVarietyChild(facts, seed)
        : child(facts, seed);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
