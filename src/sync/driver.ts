import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { writeAtomic } from "../runtime/atomic.js";
import type { MergeConflict } from "./conflict-types.js";
import { mergeFile } from "./file-merge.js";

/** Set by `kb sync` for the git merge it runs: where the driver appends what it could not settle. */
export const CONFLICT_LOG_ENV = "KB_SYNC_CONFLICT_LOG";

export interface DriverArgs {
  base: string;
  ours: string;
  theirs: string;
  /** The path being merged, relative to the worktree (git's %P). */
  path: string;
}

/**
 * The merge driver git calls as `kb merge-driver %O %A %B %P` from the worktree's top folder:
 * merges per fact, writes the result to %A, writes conflict copies beside the file and logs every
 * conflict. Always exits 0 when it produced a result: no git conflict markers, ever.
 */
export async function runMergeDriver(
  args: DriverArgs,
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<{ conflicts: MergeConflict[] }> {
  const result = mergeFile(
    args.path,
    readFileSync(args.base),
    readFileSync(args.ours),
    readFileSync(args.theirs),
  );
  for (const copy of result.copies) {
    const target = join(options.cwd, copy.path);
    if (!existsSync(target)) await writeAtomic(target, copy.bytes);
  }
  await writeAtomic(args.ours, result.merged);
  const log = conflictLogPath(options);
  if (log && result.conflicts.length > 0) {
    mkdirSync(dirname(log), { recursive: true });
    appendFileSync(log, result.conflicts.map((c) => `${JSON.stringify(c)}\n`).join(""));
  }
  return { conflicts: result.conflicts };
}

function conflictLogPath(options: { cwd: string; env: NodeJS.ProcessEnv }): string | null {
  const fromEnv = options.env[CONFLICT_LOG_ENV];
  if (fromEnv) return fromEnv;
  const gitDir = join(options.cwd, ".git");
  return existsSync(gitDir) && statSync(gitDir).isDirectory()
    ? join(gitDir, "kb-sync", "conflicts.jsonl")
    : null;
}

/** Read and clear the conflicts the driver logged. */
export function readConflictLog(path: string): MergeConflict[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as MergeConflict);
}
