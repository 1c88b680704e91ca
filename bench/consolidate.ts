import { conflictOf, findConflicts, type LiveFact, liveFact } from "../src/consolidate/match.js";
import { generateFacts } from "./generate.js";
import { generateCatalog } from "./generate-catalog.js";
import { round } from "./measure.js";
import type { BenchOptions, BenchRow } from "./types.js";

/**
 * Consolidation's pair search (the part that grows with the tree): every pair of live facts that
 * give one subject and attribute different values, on the two seeded generators. The catalog
 * generator knows each fact's subject and value, so a pair between different subjects or equal
 * values is counted as false. Baseline: all-pairs comparison on a sample, in the same run.
 */
/** The nightly pair search over a 200,000-fact brain: the same budget as a dedup scope's. */
const BUDGET_SECONDS = 10;

export async function bench(options: BenchOptions): Promise<BenchRow[]> {
  const n = options.quick ? 20_000 : 200_000;
  const rows: BenchRow[] = [];

  const rich = generateFacts({ files: n / 20, facts: n, seed: options.seed });
  const richFacts = rich.facts.map((f, i) => fact(f.path, i, f.text));
  const richRun = timed(() => findConflicts(richFacts));
  const pairs = new Set(richRun.value.map((c) => key(c.a.raw, c.b.raw)));
  const planted = rich.planted.contradictions.filter((p) => pairs.has(key(p.a.text, p.b.text))).length;
  rows.push({
    area: "consolidate",
    name: `pairs, ${n / 1000}k facts (rich)`,
    value: round(richRun.seconds, 2),
    unit: "s",
    budget: options.quick ? undefined : `≤ ${BUDGET_SECONDS} s, ≤ 1 GiB`,
    pass: options.quick ? undefined : richRun.seconds <= BUDGET_SECONDS && rss() <= 1024,
    note: `${richRun.value.length} pairs; ${planted} of ${rich.planted.contradictions.length} planted contradictions; peak RSS ${rss()} MiB`,
  });

  const catalog = generateCatalog({ facts: n, files: n / 200, seed: options.seed });
  const truth = new Map(catalog.facts.map((f) => [f.text, f]));
  const catalogFacts = catalog.facts.map((f, i) => fact(f.path, i, f.text));
  const catalogRun = timed(() => findConflicts(catalogFacts));
  const wrong = catalogRun.value.filter((c) => {
    const a = truth.get(c.a.raw);
    const b = truth.get(c.b.raw);
    return !a || !b || a.subject !== b.subject || a.value === b.value;
  }).length;
  rows.push({
    area: "consolidate",
    name: `pairs, ${n / 1000}k facts (catalog)`,
    value: round(catalogRun.seconds, 2),
    unit: "s",
    budget: options.quick ? "0 false pairs" : `0 false pairs, ≤ ${BUDGET_SECONDS} s`,
    pass: wrong === 0 && (options.quick || catalogRun.seconds <= BUDGET_SECONDS),
    note: `${catalogRun.value.length} pairs, ${wrong} between other subjects or equal values; peak RSS ${rss()} MiB`,
  });

  // Baseline: every pair of a sample compared, against the blocking index on the same sample.
  const sample = richFacts.slice(0, options.quick ? 1_000 : 3_000);
  const all = timed(() => {
    let found = 0;
    for (let i = 0; i < sample.length; i++)
      for (let j = i + 1; j < sample.length; j++) if (conflictOf(sample[i]!, sample[j]!)) found++;
    return found;
  });
  const blocked = timed(() => findConflicts(sample).length);
  rows.push({
    area: "consolidate",
    name: `pairs, ${sample.length / 1000}k-fact sample vs all pairs`,
    value: round(all.seconds / Math.max(blocked.seconds, 1e-6), 1),
    unit: "x",
    baseline: { name: "all-pairs comparison", value: round(all.seconds, 2), unit: "s" },
    note: `blocking finds ${blocked.value} of the ${all.value} pairs all-pairs finds`,
  });
  return rows;
}

function fact(path: string, i: number, text: string): LiveFact {
  return liveFact({ path, line: i + 1, raw: text, section: "", pinned: false });
}

function key(a: string, b: string): string {
  return [a, b].sort().join("\u0000");
}

function timed<T>(fn: () => T): { seconds: number; value: T } {
  const start = performance.now();
  const value = fn();
  return { seconds: (performance.now() - start) / 1000, value };
}

function rss(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}
