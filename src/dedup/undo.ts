import { existsSync } from "node:fs";
import { applySplices, type Splice } from "../brain/edit.js";
import { resolveBrainPath } from "../brain/paths.js";
import { hashText } from "../brain/text.js";
import type { Fact } from "../brain/types.js";
import { editBrainFile } from "../brain/write.js";
import { errorMessage } from "../errors.js";
import type { Db } from "../state/db.js";
import { markUndone, type Tombstone, tombstonesOf } from "./tombstones.js";
import { placeSplice } from "./undo-place.js";

/** What `kb undo` did to one file. */
export interface UndoFileResult {
  path: string;
  /**
   * `restored`: the bytes are exactly as before the run. `partly`/`merged`: the file changed since
   * the run, so the removed facts were put back in place around the later edits (`merged` when all
   * went back). `unchanged`: nothing could be put back. `already`: the file was already as before.
   */
  outcome: "restored" | "merged" | "partly" | "unchanged" | "already";
  restored: string[];
  notRestored: { text: string; reason: string }[];
}

export interface UndoResult {
  runId: number;
  files: UndoFileResult[];
  alreadyUndone: number;
}

/**
 * Restore what a dedup run removed or rewrote, newest file first. A file still exactly as the run
 * left it gets its bytes back exactly. A file edited since gets each removed fact put back where it
 * was, found by the lines around it, while the later edits stay; a fact whose place cannot be found
 * (or whose lines are already there) is reported, never guessed. Undo only inserts the removed
 * bytes and reverts its own rewrites, so it never loses anything written since the run.
 */
export async function undoRun(
  db: Db,
  runId: number,
  options: { now: string; dryRun?: boolean; brain?: string },
): Promise<UndoResult> {
  const result: UndoResult = { runId, files: [], alreadyUndone: 0 };
  for (const t of tombstonesOf(db, runId).reverse()) {
    if (t.undoneAt) {
      result.alreadyUndone++;
      continue;
    }
    const file = await undoFile(t, options.brain ?? t.brain, options.dryRun ?? false);
    result.files.push(file);
    if (!options.dryRun && file.notRestored.length === 0) markUndone(db, runId, t.seq, options.now);
  }
  return result;
}

async function undoFile(t: Tombstone, brain: string, dryRun: boolean): Promise<UndoFileResult> {
  const facts = t.removed.map((r) => r.text);
  const file: UndoFileResult = { path: t.path, outcome: "unchanged", restored: [], notRestored: [] };
  if (!existsSync(resolveBrainPath(brain, t.path))) {
    file.notRestored = facts.map((text) => ({ text, reason: "the file is gone" }));
    return file;
  }
  try {
    await editBrainFile(
      brain,
      t.path,
      (text, doc) => {
        const hash = hashText(text);
        if (hash === t.hashBefore) {
          file.outcome = "already";
          return [];
        }
        const exact = joinInsertions(t.undo);
        if (hash === t.hashAfter && hashText(applySplices(text, exact)) === t.hashBefore) {
          file.outcome = "restored";
          file.restored = facts;
          return exact;
        }
        return mergeBack(t, text, doc.facts, file);
      },
      { dryRun },
    );
  } catch (error) {
    file.outcome = "unchanged";
    file.restored = [];
    file.notRestored = facts.map((text) => ({ text, reason: errorMessage(error) }));
  }
  return file;
}

/** Splices that put each removed fact back into a file edited since the run; fills in `file`. */
function mergeBack(t: Tombstone, text: string, current: Fact[], file: UndoFileResult): Splice[] {
  const splices: Splice[] = [];
  const failed = new Map<number, string>();
  const owner = t.removed.map((fact) => fact.undo ?? t.undo.findIndex((s) => s.text.includes(fact.text)));
  const present = new Map<string, number>();
  for (const f of current) present.set(f.text, (present.get(f.text) ?? 0) + 1);
  t.undo.forEach((s, i) => {
    const own = t.removed.filter((_, k) => owner[k] === i);
    const alreadyThere = own.length > 0 && own.every((f) => (present.get(f.text) ?? 0) > 0);
    const placed = placeSplice(text, s, alreadyThere);
    if ("reason" in placed) failed.set(i, placed.reason);
    else if (placed.splice) splices.push(placed.splice);
  });
  for (const [k, fact] of t.removed.entries()) {
    const at = owner[k]!;
    const reason = at === -1 ? "kb could not tell where it was" : failed.get(at);
    if (reason) file.notRestored.push({ text: fact.text, reason });
    else file.restored.push(fact.text);
  }
  file.outcome = file.notRestored.length === 0 ? "merged" : file.restored.length > 0 ? "partly" : "unchanged";
  return joinInsertions(splices);
}

/**
 * Insertions at one point as one splice, in their recorded order (the order the lines had). Undo
 * records written before kb merged neighbouring removals hold such pairs.
 */
function joinInsertions(splices: Splice[]): Splice[] {
  const merged: Splice[] = [];
  for (const s of [...splices].sort((a, b) => a.start - b.start)) {
    const last = merged.at(-1);
    if (last && last.start === s.start && last.end === last.start && s.end === s.start) last.text += s.text;
    else merged.push({ start: s.start, end: s.end, text: s.text });
  }
  return merged;
}
