import { existsSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import type { Splice } from "../brain/edit.js";
import { type EditResult, editBrainFile } from "../brain/write.js";
import { UsageError } from "../errors.js";
import { type FieldChange, setFields } from "./frontmatter-fields.js";
import { readReviewMeta } from "./meta.js";

/**
 * `kb verify`: a person has checked the file. Stamps the review date and reviewer (under the keys
 * the file already uses, e.g. `last_reviewed_on`), drops `LAUNCH:*` review reasons, and sets
 * `status: active` when it was `needs-review` for launches only. Every other byte stays.
 */
export function planVerify(
  text: string,
  data: Record<string, unknown>,
  options: { today: string; by: string | null },
): Splice[] {
  const meta = readReviewMeta(data);
  const changes: FieldChange[] = [[meta.keys.lastReviewed ?? "last_reviewed", options.today]];
  const by = options.by ?? meta.owner;
  if (by) changes.push([meta.keys.reviewedBy ?? "reviewed_by", by]);
  const kept = meta.reviewReasons.filter((r) => !r.startsWith("LAUNCH:"));
  const reasonsKey = meta.keys.reviewReasons;
  if (reasonsKey && kept.length !== meta.reviewReasons.length) {
    changes.push([reasonsKey, kept.length === 0 ? null : kept]);
    if (kept.length === 0 && meta.status === "needs-review") changes.push(["status", "active"]);
  }
  return setFields(text, changes);
}

export async function verifyFiles(
  brain: string,
  paths: string[],
  options: { today: string; by: string | null; dryRun: boolean; cwd: string; maxFileBytes: number },
): Promise<EditResult[]> {
  const results: EditResult[] = [];
  for (const rel of paths.map((p) => toBrainPath(brain, p, options.cwd))) {
    results.push(
      await editBrainFile(brain, rel, (text, doc) => planVerify(text, doc.frontmatter?.data ?? {}, options), {
        dryRun: options.dryRun,
        maxFileBytes: options.maxFileBytes,
      }),
    );
  }
  return results;
}

/** Accept a brain-relative path or one relative to the working folder that lies in the brain. */
export function toBrainPath(brain: string, path: string, cwd: string): string {
  const fromCwd = resolve(cwd, path);
  const rel = relative(brain, fromCwd);
  if (existsSync(fromCwd) && !rel.startsWith("..") && !isAbsolute(rel)) return rel.split(sep).join("/");
  if (existsSync(resolve(brain, path))) return path.split(sep).join("/");
  throw new UsageError(
    "VERIFY_NO_FILE",
    `${path}: no such file in the brain (${brain}); give a path relative to the brain`,
  );
}
