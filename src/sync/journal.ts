import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { NeedsHumanError } from "../errors.js";
import { writeAtomic } from "../runtime/atomic.js";
import { processAlive } from "../runtime/lock.js";
import { restorePartialCheckout } from "./partial-checkout.js";
import type { Repo } from "./repo.js";

/** What a sync run is doing, kept in `.git/kb-sync/` so the next run can finish a killed one. */
export interface Journal {
  pid: number;
  phase: "committing" | "merging" | "pushing";
  backup?: string;
  /** The commit being merged (or fast-forwarded) into HEAD while `merging`. */
  target?: string;
  at: string;
}

export const journalPath = (repo: Repo) => join(repo.gitDir, "kb-sync", "journal.json");

export async function writeJournal(repo: Repo, journal: Omit<Journal, "pid" | "at">): Promise<void> {
  await writeAtomic(
    journalPath(repo),
    JSON.stringify({ pid: process.pid, at: new Date().toISOString(), ...journal }),
  );
}

export function clearJournal(repo: Repo): void {
  rmSync(journalPath(repo), { force: true });
}

/** The journal of a run that died (its process is gone), or null. */
export function abandonedJournal(repo: Repo): Journal | null {
  if (!existsSync(journalPath(repo))) return null;
  const journal = readJournal(repo);
  if (!journal) return { pid: 0, phase: "committing", at: "" };
  return processAlive(journal.pid) && journal.pid !== process.pid ? null : journal;
}

/**
 * Undo what a killed sync run left half done, and only that: its own unfinished merge is aborted
 * (local commits and files stay), the lock and temp files its git left are removed.
 */
export async function recoverAbandonedRun(
  repo: Repo,
  host: string,
  gitAlive: () => boolean,
): Promise<string[]> {
  const journal = abandonedJournal(repo);
  if (!journal) return [];
  const done = await undoInterruptedGit(repo, host, gitAlive, journal.phase === "merging" ? journal : null);
  clearJournal(repo);
  return done;
}

/** The journal as written, or null when there is none or it is unreadable. */
export function readJournal(repo: Repo): Journal | null {
  try {
    return JSON.parse(readFileSync(journalPath(repo), "utf8")) as Journal;
  } catch {
    return null;
  }
}

/**
 * Clean up after git processes of this sync that died (killed with the run, or by the deadline):
 * stale lock files, git's merge temp files, and, when the run was `merging`, an unfinished merge
 * and the files a killed checkout left half-written.
 */
export async function undoInterruptedGit(
  repo: Repo,
  host: string,
  gitAlive: () => boolean,
  merging: Pick<Journal, "target"> | null,
): Promise<string[]> {
  const done = removeStaleLocks(repo.gitDir, gitAlive);
  const temps = readdirSync(repo.dir).filter((n) => n.startsWith(".merge_file_"));
  for (const name of temps) rmSync(join(repo.dir, name), { force: true });
  if (temps.length > 0) done.push(`removed ${temps.length} merge temp file(s) an interrupted merge left`);
  if (merging && existsSync(join(repo.gitDir, "MERGE_HEAD"))) {
    const abort = await repo.run(["merge", "--abort"], { allowFailure: true });
    if (abort.exitCode === 0) done.push("aborted an unfinished merge");
    else {
      // Files changed since the merge stopped (an agent wrote meanwhile): finish the merge with them
      // rather than throw either away; MERGE_HEAD means git had written every merged file.
      if ((await repo.out(["ls-files", "-u"])) !== "") {
        throw new NeedsHumanError(
          "SYNC_INTERRUPTED_MERGE",
          `an interrupted sync merge has unmerged files and cannot be aborted (${abort.stderr.trim()}); finish or abort it with git`,
        );
      }
      await repo.run(["add", "-A"]);
      await repo.commit(host, `kb sync: ${host}: finish a merge an interrupted run left`, ["--no-edit"]);
      done.push("finished an interrupted merge (files had changed since, so it could not be aborted)");
    }
  }
  if (merging?.target && !existsSync(join(repo.gitDir, "MERGE_HEAD"))) {
    done.push(...(await restorePartialCheckout(repo, merging.target)));
  }
  return done;
}

/** Remove the lock files a killed git left, unless a git process still works in the repository. */
export function removeStaleLocks(gitDir: string, gitAlive: () => boolean): string[] {
  const locks = staleLockFiles(gitDir);
  if (locks.length === 0 || gitAlive()) return [];
  for (const lock of locks) rmSync(join(gitDir, lock), { force: true });
  return [`removed ${locks.join(", ")} left by an interrupted git`];
}

/** Lock files git leaves when killed: `*.lock` in `.git` and anywhere under `.git/refs` (relative paths). */
function staleLockFiles(gitDir: string): string[] {
  const top = readdirSync(gitDir).filter((n) => n.endsWith(".lock"));
  const refs = existsSync(join(gitDir, "refs"))
    ? (readdirSync(join(gitDir, "refs"), { recursive: true }) as string[])
        .filter((n) => n.endsWith(".lock"))
        .map((n) => `refs/${n}`)
    : [];
  return [...top, ...refs].sort();
}
