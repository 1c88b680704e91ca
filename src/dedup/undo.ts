import { applySplices } from "../brain/edit.js";
import { hashText } from "../brain/text.js";
import { editBrainFile } from "../brain/write.js";
import type { Db } from "../state/db.js";
import { markUndone, tombstonesOf } from "./tombstones.js";

export interface UndoResult {
  runId: number;
  restored: { path: string; facts: number }[];
  /** Files edited again since the run: restoring them byte for byte would lose those edits. */
  conflicts: { path: string; reason: string }[];
  alreadyUndone: number;
}

/**
 * Restore what a dedup run removed or rewrote, newest file first. A file is restored only when it
 * is still exactly as the run left it; then the result is byte-identical to before the run.
 */
export async function undoRun(
  db: Db,
  runId: number,
  options: { now: string; dryRun?: boolean; brain?: string },
): Promise<UndoResult> {
  const result: UndoResult = { runId, restored: [], conflicts: [], alreadyUndone: 0 };
  for (const t of tombstonesOf(db, runId).reverse()) {
    if (t.undoneAt) {
      result.alreadyUndone++;
      continue;
    }
    const brain = options.brain ?? t.brain;
    let reason: string | null = null;
    await editBrainFile(
      brain,
      t.path,
      (text) => {
        if (hashText(text) !== t.hashAfter) {
          reason = "the file changed after the dedup run; restore it from git history or edit by hand";
          return [];
        }
        if (hashText(applySplices(text, t.undo)) !== t.hashBefore) {
          reason = "the recorded undo does not reproduce the original file";
          return [];
        }
        return t.undo;
      },
      { dryRun: options.dryRun },
    );
    if (reason) {
      result.conflicts.push({ path: t.path, reason });
      continue;
    }
    result.restored.push({ path: t.path, facts: t.removed.length });
    if (!options.dryRun) markUndone(db, runId, t.seq, options.now);
  }
  return result;
}
