import { readdirSync, readFileSync, rmSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { scanBrain } from "../src/brain/scan.js";
import { openDb } from "../src/state/db.js";
import { standardBrain } from "./generate.js";
import { median, round, time } from "./measure.js";
import type { BenchOptions, BenchRow } from "./types.js";

/**
 * Scan a 10k-file / 200k-fact brain: cold (empty index cache), unchanged re-scan (warm cache) and
 * a re-scan after touching 1% of the files, next to the baseline of just reading the same bytes.
 */
export async function bench(options: BenchOptions): Promise<BenchRow[]> {
  const brain = join(options.tmp, "scan-brain");
  const { label } = await standardBrain(brain, options);

  const readAll = await median(3, () => readTree(brain));
  const state = join(options.tmp, "scan-state");
  const cold = await median(3, async () => {
    rmSync(state, { recursive: true, force: true });
    const db = openDb(state);
    try {
      return scanBrain({ brain, db });
    } finally {
      db.close();
    }
  });
  const db = openDb(state);
  try {
    scanBrain({ brain, db });
    const warm = await median(5, () => scanBrain({ brain, db }));
    const touched = collectFiles(brain).filter((_, i) => i % 100 === 0);
    const partial = await time(() => {
      const now = new Date();
      for (const f of touched) utimesSync(f, now, now);
      return scanBrain({ brain, db });
    });
    const baseline = { name: "read the same bytes", value: round(readAll), unit: "s" };
    return [
      {
        area: "scan",
        name: `cold scan, ${label}`,
        value: round(cold),
        unit: "s",
        baseline,
        budget: "≤ 3 s",
        pass: cold <= 3,
      },
      {
        area: "scan",
        name: `unchanged re-scan, ${label}`,
        value: round(warm),
        unit: "s",
        baseline,
        budget: "≤ 0.5 s",
        pass: warm <= 0.5,
      },
      {
        area: "scan",
        name: `re-scan after touching ${touched.length} files`,
        value: round(partial.seconds),
        unit: "s",
        baseline,
        note: `${partial.value.stats.parsed} re-read, ${partial.value.stats.cached} from cache`,
      },
    ];
  } finally {
    db.close();
  }
}

function collectFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const abs = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...collectFiles(abs));
    else out.push(abs);
  }
  return out;
}

function readTree(dir: string): number {
  let bytes = 0;
  for (const f of collectFiles(dir)) bytes += readFileSync(f).length;
  return bytes;
}
