/** A fact as dedup's `--json`, its reports and its pair lists name it. */
export interface FactRefJson {
  path: string;
  line: number;
  text: string;
}

/** Two look-alike facts, their similarity and why they were listed. */
export interface PairJson {
  a: FactRefJson;
  b: FactRefJson;
  score: number;
  reason: string;
}
