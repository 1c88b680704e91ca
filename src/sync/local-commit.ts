import { NeedsHumanError } from "../errors.js";
import type { Repo } from "./repo.js";

export interface LocalCommit {
  sha: string | null;
  added: number;
  modified: number;
  deleted: number;
}

/** Refuse before a run deletes more than `share` of the brain's files (a missing mount, a bad script). */
export function assertDeleteShare(
  deleted: number,
  total: number,
  share: number,
  minFiles: number,
  what: string,
): void {
  if (deleted >= minFiles && deleted > share * total) {
    throw new NeedsHumanError(
      "SYNC_MASS_DELETE",
      `${what} would delete ${deleted} of ${total} files (more than ${Math.round(share * 100)}%); nothing was synced. ` +
        "If this is intended, commit the deletion with git yourself, or raise sync.maxDeleteShare",
    );
  }
}

/**
 * Commit every local change (agents' new files too) as one commit with a message listing what
 * changed. Refuses, leaving the working tree as it was, when the change would delete too many
 * files or adds git conflict markers.
 */
export async function commitLocalChanges(
  repo: Repo,
  host: string,
  guard: { maxDeleteShare: number; minFiles: number },
): Promise<LocalCommit> {
  await repo.run(["add", "-A"]);
  const status = (await repo.out(["diff", "--cached", "--name-status", "--no-renames"]))
    .split("\n")
    .filter(Boolean);
  if (status.length === 0) return { sha: null, added: 0, modified: 0, deleted: 0 };
  const kinds = status.map((l) => l[0]);
  const files = status.map((l) => l.slice(2));
  const [added, deleted] = [kinds.filter((k) => k === "A").length, kinds.filter((k) => k === "D").length];
  const modified = status.length - added - deleted;
  try {
    const tracked = Number(
      (await repo.out(["ls-files", "--cached", "--", "."])).split("\n").filter(Boolean).length,
    );
    assertDeleteShare(deleted, tracked + deleted, guard.maxDeleteShare, guard.minFiles, "the local changes");
    const diff = (await repo.run(["diff", "--cached", "-U0", "--no-color"])).stdout;
    const marked = /^\+(<<<<<<<|>>>>>>>)( |$)/m.exec(diff);
    if (marked) {
      throw new NeedsHumanError(
        "SYNC_CONFLICT_MARKERS",
        "local changes contain git conflict markers (a line starting with <<<<<<< or >>>>>>>); resolve them, then run kb sync",
      );
    }
  } catch (error) {
    await repo.run(["reset", "-q"]);
    throw error;
  }
  const summary = [
    added && `${added} added`,
    modified && `${modified} modified`,
    deleted && `${deleted} deleted`,
  ]
    .filter(Boolean)
    .join(", ");
  const list = files.slice(0, 20).map((f, i) => `${kinds[i]} ${f}`);
  if (files.length > 20) list.push(`… and ${files.length - 20} more`);
  await repo.commit(host, `kb sync: ${host}: local changes (${summary})\n\n${list.join("\n")}`);
  return { sha: await repo.revParse("HEAD"), added, modified, deleted };
}
