import { distance } from "fastest-levenshtein";
import {
  CONFLICT_BLOCK_END,
  CONFLICT_BLOCK_START,
  CONFLICT_MARK,
  compareText,
  type MergeConflict,
} from "./conflict-types.js";
import { alignKeys } from "./lcs.js";
import type { Unit } from "./units.js";

export interface BodyMergeResult {
  units: Unit[];
  conflicts: Omit<MergeConflict, "path">[];
}

/**
 * 3-way merge of two bodies against their base, fact by fact. Regions that only one side changed
 * take that side; where both changed, facts merge by identity (a deletion sticks, additions from
 * both sides are kept once, edit beats delete, two different edits are both kept and marked) and
 * the other lines merge line-wise, a clash keeping both versions behind a kb marker.
 * Symmetric: merge(o, a, b) equals merge(o, b, a), so every host computes the same bytes.
 */
export function mergeBodies(base: Unit[], ours: Unit[], theirs: Unit[]): BodyMergeResult {
  const keys = (units: Unit[]) => units.map((u) => u.key);
  const toOurs = alignKeys(keys(base), keys(ours));
  const toTheirs = alignKeys(keys(base), keys(theirs));
  const out: Unit[] = [];
  const conflicts: Omit<MergeConflict, "path">[] = [];
  let o = 0;
  let a = 0;
  let b = 0;
  const flush = (oEnd: number, aEnd: number, bEnd: number) => {
    const chunk = mergeChunk(base.slice(o, oEnd), ours.slice(a, aEnd), theirs.slice(b, bEnd));
    out.push(...chunk.units);
    conflicts.push(...chunk.conflicts);
  };
  for (let i = 0; i < base.length; i++) {
    const ia = toOurs[i]!;
    const ib = toTheirs[i]!;
    if (ia < a || ib < b || ia === -1 || ib === -1) continue;
    flush(i, ia, ib);
    out.push(base[i]!);
    o = i + 1;
    a = ia + 1;
    b = ib + 1;
  }
  flush(base.length, ours.length, theirs.length);
  return { units: trimToMergedCounts(out, base, ours, theirs), conflicts };
}

function sameKeys(x: Unit[], y: Unit[]): boolean {
  return x.length === y.length && x.every((u, i) => u.key === y[i]!.key);
}

const joined = (units: Unit[]) => units.map((u) => u.text).join("");

type FactFate = { kind: "kept" } | { kind: "deleted" } | { kind: "edited"; unit: Unit };

function mergeChunk(o: Unit[], a: Unit[], b: Unit[]): BodyMergeResult {
  if (sameKeys(a, o)) return { units: b, conflicts: [] };
  if (sameKeys(b, o) || sameKeys(a, b)) return { units: a, conflicts: [] };
  const conflicts: Omit<MergeConflict, "path">[] = [];
  // The side whose layout (non-fact lines) the result follows; ties go to the smaller text.
  const lines = (units: Unit[]) => units.filter((u) => !u.fact && u.key.trim() !== "").map((u) => u.key);
  const [linesO, linesA, linesB] = [lines(o), lines(a), lines(b)];
  const aFirst = compareText(joined(a), joined(b)) <= 0;
  let skeleton: "a" | "b";
  let clash = false;
  if (sameStrings(linesA, linesO) && !sameStrings(linesB, linesO)) skeleton = "b";
  else if (sameStrings(linesB, linesO) && !sameStrings(linesA, linesO)) skeleton = "a";
  else {
    skeleton = aFirst ? "a" : "b";
    clash = !sameStrings(linesA, linesB);
  }
  const [s, t] = skeleton === "a" ? [a, b] : [b, a];
  const fateS = factFates(o, s);
  const fateT = factFates(o, t);
  const out: Unit[] = [];
  const emittedT = new Set<Unit>();
  let afterLastFact = -1;
  for (const unit of s) {
    if (!unit.fact) {
      out.push(unit);
      continue;
    }
    const origin = fateS.originOf.get(unit);
    if (origin === undefined) out.push(unit);
    else {
      const other = fateT.fates[origin]!;
      const edited = fateS.fates[origin]!.kind === "edited";
      if (other.kind === "kept") out.push(unit);
      else if (other.kind === "deleted") {
        if (edited) {
          out.push(unit);
          conflicts.push(editKept(o[origin]!, unit));
        }
      } else {
        emittedT.add(other.unit);
        if (!edited || other.unit.key === unit.key) {
          if (edited) out.push(unit);
          else out.push(other.unit);
        } else {
          const pair = [unit, other.unit].sort((x, y) => compareText(x.key, y.key));
          out.push(...pair.map(markConflict));
          conflicts.push({
            kind: "fact-edited-both",
            severity: "conflict",
            detail: `both hosts edited "${o[origin]!.fact}": kept "${pair[0]!.fact}" and "${pair[1]!.fact}"`,
          });
        }
      }
    }
    afterLastFact = out.length;
  }
  // Facts only the other side has: its additions, and its edits of facts the skeleton deleted.
  const pending: Unit[] = [];
  const present = new Set(out.map((u) => u.key));
  for (const unit of t) {
    if (!unit.fact || emittedT.has(unit)) continue;
    const origin = fateT.originOf.get(unit);
    if (origin !== undefined) {
      if (fateT.fates[origin]!.kind !== "edited" || fateS.fates[origin]!.kind !== "deleted") continue;
      conflicts.push(editKept(o[origin]!, unit));
    }
    if (!present.has(unit.key)) pending.push(unit);
  }
  const at = afterLastFact === -1 ? out.length : afterLastFact;
  out.splice(at, 0, ...pending);
  if (clash) {
    const other = t.filter((u) => !u.fact);
    out.push({ key: `${CONFLICT_BLOCK_START}\n`, text: `${CONFLICT_BLOCK_START}\n` }, ...other, {
      key: `${CONFLICT_BLOCK_END}\n`,
      text: `${CONFLICT_BLOCK_END}\n`,
    });
    conflicts.push({
      kind: "text-clash",
      severity: "conflict",
      detail: `both hosts changed the same lines; the other version follows a ${CONFLICT_BLOCK_START} marker`,
    });
  }
  return { units: out, conflicts };
}

function sameStrings(x: string[], y: string[]): boolean {
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/**
 * For each base fact of a chunk, what one side did to it: kept it, deleted it, or edited it
 * (a new fact on that side pairs with a vanished base fact when their texts are similar enough).
 */
function factFates(o: Unit[], side: Unit[]): { fates: FactFate[]; originOf: Map<Unit, number> } {
  const fates: FactFate[] = o.map(() => ({ kind: "deleted" }));
  const originOf = new Map<Unit, number>();
  const unused = new Map<string, number[]>();
  o.forEach((u, i) => {
    if (u.fact) unused.set(u.key, [...(unused.get(u.key) ?? []), i]);
  });
  const added: Unit[] = [];
  for (const unit of side) {
    if (!unit.fact) continue;
    const origin = unused.get(unit.key)?.shift();
    if (origin === undefined) added.push(unit);
    else {
      fates[origin] = { kind: "kept" };
      originOf.set(unit, origin);
    }
  }
  for (let i = 0; i < o.length; i++) {
    if (!o[i]!.fact || fates[i]!.kind !== "deleted") continue;
    let best = -1;
    let bestScore = 0.5;
    added.forEach((unit, j) => {
      if (originOf.has(unit)) return;
      const score = similarity(o[i]!.fact!, unit.fact!);
      if (score > bestScore) {
        best = j;
        bestScore = score;
      }
    });
    if (best !== -1) {
      fates[i] = { kind: "edited", unit: added[best]! };
      originOf.set(added[best]!, i);
    }
  }
  return { fates, originOf };
}

function similarity(x: string, y: string): number {
  const longest = Math.max(x.length, y.length);
  return longest === 0 ? 1 : 1 - distance(x, y) / longest;
}

function markConflict(unit: Unit): Unit {
  if (unit.text.includes(CONFLICT_MARK)) return unit;
  const body = unit.text.endsWith("\n") ? unit.text.slice(0, -1) : unit.text;
  const text = `${body} ${CONFLICT_MARK}${unit.text.endsWith("\n") ? "\n" : ""}`;
  return { key: text, text, fact: `${unit.fact} ${CONFLICT_MARK}` };
}

function editKept(base: Unit, edit: Unit): Omit<MergeConflict, "path"> {
  return {
    kind: "edit-vs-delete",
    severity: "note",
    detail: `one host deleted "${base.fact}", the other edited it to "${edit.fact}"; the edit is kept`,
  };
}

/**
 * Each fact appears as often as a 3-way merge of its counts says: a fact both sides added in
 * different places appears once, and a fact one side moved and the other deleted stays deleted.
 * Facts kb itself wrote (marked conflict versions) are left alone.
 */
function trimToMergedCounts(out: Unit[], base: Unit[], ours: Unit[], theirs: Unit[]): Unit[] {
  const count = (units: Unit[]) => {
    const m = new Map<string, number>();
    for (const u of units) if (u.fact) m.set(u.key, (m.get(u.key) ?? 0) + 1);
    return m;
  };
  const [cO, cA, cB] = [count(base), count(ours), count(theirs)];
  const seen = new Map<string, number>();
  return out.filter((u) => {
    if (!u.fact) return true;
    const [o, a, b] = [cO.get(u.key) ?? 0, cA.get(u.key) ?? 0, cB.get(u.key) ?? 0];
    if (a === 0 && b === 0 && o === 0) return true;
    const allowed = a === o ? b : b === o ? a : Math.max(a, b);
    const n = (seen.get(u.key) ?? 0) + 1;
    seen.set(u.key, n);
    return n <= allowed;
  });
}
