import { posix } from "node:path";
import picomatch from "picomatch";
import { ARCHIVE_DIR } from "../brain/scan.js";
import type { ValidOp } from "./validate.js";

/**
 * Where a mined change goes: a review branch, or straight to the main branch where autonomy allows.
 * Pure.
 */
export type Mode = "review" | "apply";

/** The mode for a brain path: `--mode` wins, else the first matching autonomy rule, else `mine.mode`. */
export function modeResolver(rules: { paths: string[]; mode: Mode }[], fallback: Mode, forced: boolean) {
  const matchers = rules.map((r) => ({ match: picomatch(r.paths), mode: r.mode }));
  return (path: string): Mode =>
    forced ? fallback : (matchers.find((m) => m.match(path))?.mode ?? fallback);
}

export function splitByMode(ops: ValidOp[], modeFor: (path: string) => Mode) {
  const review: ValidOp[] = [];
  const apply: ValidOp[] = [];
  for (const op of ops)
    (modeFor(op.op === "add" ? op.path : op.target.path) === "apply" ? apply : review).push(op);
  return { review, apply };
}

/** The brain paths apply-mode operations may change: their files and the archive copies of superseded facts. */
export function pathsTouched(ops: ValidOp[]): string[] {
  const paths = ops.map((op) => (op.op === "add" ? op.path : op.target.path));
  return [
    ...new Set([
      ...paths,
      ...ops.filter((op) => op.op !== "add").map((op) => posix.join(ARCHIVE_DIR, op.target.path)),
    ]),
  ];
}
