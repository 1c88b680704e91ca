import { EditError, removeFact, replaceFact, type Splice } from "../brain/edit.js";
import { hashText } from "../brain/text.js";
import type { BrainDoc, Fact } from "../brain/types.js";
import { editBrainFile } from "../brain/write.js";
import { errorMessage } from "../errors.js";
import type { Logger } from "../runtime/log.js";
import type { Db } from "../state/db.js";
import type { DedupPlan } from "./plan.js";
import type { ScopeFact } from "./survivor.js";
import { recordTombstone, reverseSplices } from "./tombstones.js";

export interface ApplyOptions {
  brain: string;
  runId: number;
  db?: Db;
  log: Logger;
  dryRun?: boolean;
  maxFileBytes?: number;
}

export interface ApplyResult {
  /** Files written (or that would be, in a dry run), in order. */
  files: string[];
  /** Removals done (a file that could not be written keeps its facts). */
  removed: number;
  skipped: { path: string; reason: string }[];
}

/**
 * Apply a plan with minimal-diff edits. Files holding survivors are written first, so a fact is
 * only removed once the copy that replaces it is on disk; a removal whose survivor's file could not
 * be written is skipped. Each written file leaves a tombstone for `kb undo`.
 */
export async function applyPlan(plan: DedupPlan, options: ApplyOptions): Promise<ApplyResult> {
  const byPath = new Map<string, { replace: DedupPlan["replacements"]; remove: DedupPlan["removals"] }>();
  const entry = (path: string) => {
    const found = byPath.get(path);
    if (found) return found;
    const created = { replace: [] as DedupPlan["replacements"], remove: [] as DedupPlan["removals"] };
    byPath.set(path, created);
    return created;
  };
  for (const r of plan.replacements) entry(r.fact.path).replace.push(r);
  for (const r of plan.removals) entry(r.fact.path).remove.push(r);
  const survivorFiles = new Set(plan.removals.map((r) => r.kept.path));
  const order = [...byPath.keys()].sort(
    (a, b) => Number(survivorFiles.has(b)) - Number(survivorFiles.has(a)) || a.localeCompare(b),
  );
  const failed = new Set<string>();
  const result: ApplyResult = { files: [], removed: 0, skipped: [] };
  let seq = 0;
  for (const path of order) {
    const { replace, remove } = byPath.get(path)!;
    const removals = remove.filter((r) => !failed.has(r.kept.path));
    let forward: Splice[] = [];
    try {
      const edit = await editBrainFile(
        options.brain,
        path,
        (_text, doc) => {
          forward = [
            ...replace.map((r) => replaceFact(locate(doc, r.fact), r.text)),
            ...removals.map((r) => removeFact(locate(doc, r.fact))),
          ];
          return forward;
        },
        { dryRun: options.dryRun, maxFileBytes: options.maxFileBytes },
      );
      if (!edit.changed) continue;
      result.files.push(path);
      result.removed += removals.length;
      if (options.dryRun || !options.db) continue;
      const { undo, owner } = reverseSplices(edit.before, edit.after, forward);
      recordTombstone(options.db, {
        runId: options.runId,
        seq: seq++,
        brain: options.brain,
        path,
        hashBefore: hashText(edit.before),
        hashAfter: hashText(edit.after),
        undo,
        removed: removals.map((r, k) => ({
          line: r.fact.line,
          text: r.fact.text,
          keptPath: r.kept.path,
          keptText: r.kept.text,
          score: round(r.score),
          undo: owner[replace.length + k],
        })),
      });
    } catch (error) {
      failed.add(path);
      result.skipped.push({ path, reason: errorMessage(error) });
      options.log.warn("dedup left a file unchanged", { path, reason: errorMessage(error) });
    }
  }
  return result;
}

/** The fact in the file as it is now: same position and text, else the one with the same text. */
function locate(doc: BrainDoc, fact: ScopeFact): Fact {
  const at = doc.facts[fact.index];
  if (at && at.text === fact.text) return at;
  const moved = doc.facts.find((f) => f.text === fact.text);
  if (moved) return moved;
  throw new EditError(
    "DEDUP_STALE",
    `${doc.path}:${fact.line}: the fact "${fact.text}" changed since the scan; run dedup again`,
  );
}

export function round(score: number): number {
  return Math.round(score * 1000) / 1000;
}
