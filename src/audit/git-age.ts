import { git } from "../runtime/git.js";

/**
 * The last meaningful content edit of each file, from git history: a secondary signal only (an
 * edit is never a review). kb's own bulk commits (`kb sync:`, `kb dedup:`, `kb mine:`) and
 * formatter-style commits touching more than `bulkFiles` files are ignored. Committer dates.
 * Returns an empty map when the brain is not in a git repository.
 */
export async function lastEdits(
  brain: string,
  options: { bulkFiles?: number } = {},
): Promise<Map<string, string>> {
  const edits = new Map<string, string>();
  const inside = await git(["rev-parse", "--show-prefix"], { cwd: brain, allowFailure: true });
  if (inside.exitCode !== 0) return edits;
  const prefix = inside.stdout.trim();
  const log = await git(["log", "--no-merges", "--format=%x1e%cs%x1f%s", "--name-only", "--", "."], {
    cwd: brain,
    allowFailure: true,
  });
  if (log.exitCode !== 0) return edits;
  for (const record of parseLog(log.stdout)) {
    if (isBulk(record, options.bulkFiles ?? 20)) continue;
    for (const file of record.files) {
      if (!file.startsWith(prefix)) continue;
      const rel = file.slice(prefix.length);
      if (!edits.has(rel)) edits.set(rel, record.date);
    }
  }
  return edits;
}

export interface CommitRecord {
  date: string;
  subject: string;
  files: string[];
}

export function parseLog(stdout: string): CommitRecord[] {
  return stdout
    .split("\x1e")
    .filter((chunk) => chunk.trim())
    .map((chunk) => {
      const [head, ...rest] = chunk.split("\n");
      const [date, subject] = head!.split("\x1f");
      return { date: date!, subject: subject ?? "", files: rest.filter((l) => l.trim()) };
    });
}

export function isBulk(record: CommitRecord, bulkFiles: number): boolean {
  return /^kb (sync|dedup|mine):/i.test(record.subject) || record.files.length > bulkFiles;
}
