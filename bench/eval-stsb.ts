import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import {
  type Band,
  DEFAULT_THRESHOLDS,
  decidePair,
  profileFact,
  type Thresholds,
} from "../src/dedup/decide.js";

/**
 * Evaluates dedup's pair decision on the STS Benchmark (sentence pairs with human similarity scores
 * 0–5): pairs scored ≥ 4 count as duplicates. Reports auto-remove precision, auto-removals of pairs
 * scored < 3, and the share of pairs in each band. Thresholds are tuned on train, reported on dev.
 *
 *   node dist/bench/eval-stsb.js [path/to/stsb-en-dev.csv …]
 */
export interface StsbPair {
  a: string;
  b: string;
  score: number;
}

export interface StsbFigures {
  pairs: number;
  autoRemoved: number;
  autoPrecision: number;
  autoRecall: number;
  autoBelow3: number;
  bands: Record<Band, number>;
}

/** CSV with no header: `sentence1,sentence2,score`; fields may be double-quoted with "" escapes. */
export function parseStsbCsv(text: string): StsbPair[] {
  const rows: StsbPair[] = [];
  for (const fields of csvRows(text)) {
    if (fields.length < 3) continue;
    rows.push({ a: fields[0]!, b: fields[1]!, score: Number(fields[2]) });
  }
  return rows;
}

function* csvRows(text: string): Generator<string[]> {
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === ",") {
      fields.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      fields.push(field);
      yield fields;
      fields = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || fields.length > 0) yield [...fields, field];
}

export function evaluateStsb(pairs: StsbPair[], thresholds: Thresholds = DEFAULT_THRESHOLDS): StsbFigures {
  const bands: Record<Band, number> = { duplicate: 0, review: 0, contradiction: 0, distinct: 0 };
  let truePositive = 0;
  let below3 = 0;
  const positives = pairs.filter((p) => p.score >= 4).length;
  for (const pair of pairs) {
    const d = decidePair(profileFact(pair.a), profileFact(pair.b), thresholds);
    bands[d.band]++;
    if (d.band !== "duplicate") continue;
    if (pair.score >= 4) truePositive++;
    if (pair.score < 3) below3++;
  }
  const share = (n: number) => round(n / Math.max(1, pairs.length));
  return {
    pairs: pairs.length,
    autoRemoved: bands.duplicate,
    autoPrecision: round(bands.duplicate === 0 ? 1 : truePositive / bands.duplicate),
    autoRecall: round(truePositive / Math.max(1, positives)),
    autoBelow3: below3,
    bands: {
      duplicate: share(bands.duplicate),
      review: share(bands.review),
      contradiction: share(bands.contradiction),
      distinct: share(bands.distinct),
    },
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/**
 * The public data sets: `../shared/data` next to the repository (found from this file, in `bench/`
 * or `dist/bench/`), or `KB_SHARED_DATA` for a checkout elsewhere (`.ci/run`'s Node 24 copy).
 */
export function stsbDir(): string {
  if (process.env.KB_SHARED_DATA) return resolve(process.env.KB_SHARED_DATA);
  let dir = import.meta.dirname;
  while (!existsSync(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
  return resolve(dir, "../shared/data");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const files = process.argv.slice(2);
  const paths =
    files.length > 0 ? files : ["stsb-en-train.csv", "stsb-en-dev.csv"].map((f) => resolve(stsbDir(), f));
  for (const path of paths) {
    const figures = evaluateStsb(parseStsbCsv(readFileSync(path, "utf8")));
    process.stdout.write(`${path}\n${JSON.stringify(figures, null, 2)}\n`);
  }
}
