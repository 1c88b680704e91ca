/** One measured figure in the benchmark table. */
export interface BenchRow {
  /** Area: startup, scan, dedup, sync, audit, mine, search, mquake. */
  area: string;
  /** What was measured, e.g. "dedup 200k facts". */
  name: string;
  value: number;
  unit: "s" | "ms" | "MiB" | "MB/s" | "%" | "x" | "count" | "ratio";
  /** The baseline measured in the same run, when there is one. */
  baseline?: { name: string; value: number; unit: string };
  /** The budget as text, e.g. "≤ 10 s", and whether it held. */
  budget?: string;
  pass?: boolean;
  note?: string;
}

export interface BenchOptions {
  /** Smaller sizes for a quick look (`npm run bench -- --quick`). */
  quick: boolean;
  /** A scratch folder for generated brains; removed afterwards. */
  tmp: string;
  seed: number;
}

/** Each area's bench module exports `bench(options): Promise<BenchRow[]>`. */
export type BenchModule = { bench(options: BenchOptions): Promise<BenchRow[]> };
