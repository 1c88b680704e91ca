import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Repo } from "./repo.js";

/**
 * Put back files a killed `git merge` left half-written. Git updates the working tree file by file
 * (unlink, create, write) before it moves HEAD or writes MERGE_HEAD, so a kill -9 in that window
 * leaves HEAD and the index as they were and some files missing, truncated or already at the
 * merge target's version. Committed as "local changes" by the next run, a truncated file would
 * delete facts on every host. Local changes were committed before the merge began, so each such
 * file is restored from HEAD and the next merge redoes the work.
 *
 * A file is git's leftover when it is missing, or its bytes are a prefix of (or equal to) the
 * target's version. Anything else is a genuine edit made after the kill and is kept.
 */
export async function restorePartialCheckout(repo: Repo, target: string): Promise<string[]> {
  const changed = (await repo.out(["diff", "--name-only", "--no-renames", "-z", "HEAD", "--"]))
    .split("\0")
    .filter(Boolean);
  const added = (await repo.out(["ls-files", "--others", "--exclude-standard", "-z"]))
    .split("\0")
    .filter(Boolean);
  const restore: string[] = [];
  const remove: string[] = [];
  for (const path of changed) {
    const file = join(repo.dir, path);
    if (!existsSync(file) || (await leftoverOf(repo, target, path, readFileSync(file)))) restore.push(path);
  }
  for (const path of added) {
    if (await leftoverOf(repo, target, path, readFileSync(join(repo.dir, path)))) remove.push(path);
  }
  if (restore.length > 0) await repo.run(["checkout", "HEAD", "--", ...restore]);
  for (const path of remove) rmSync(join(repo.dir, path), { force: true });
  const done = [...restore, ...remove];
  return done.length > 0
    ? [
        `restored ${done.length} file(s) an interrupted merge had half-written: ${done.slice(0, 10).join(", ")}`,
      ]
    : [];
}

/** Whether `bytes` is what git had written of the target's version when it was killed. */
async function leftoverOf(repo: Repo, target: string, path: string, bytes: Buffer): Promise<boolean> {
  const blob = await repo.run(["cat-file", "blob", `${target}:${path}`], { allowFailure: true });
  if (blob.exitCode !== 0) return false;
  const full = Buffer.from(blob.stdout, "utf8");
  return bytes.length <= full.length && full.subarray(0, bytes.length).equals(bytes);
}
