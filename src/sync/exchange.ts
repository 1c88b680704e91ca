import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { NeedsHumanError, TransientError } from "../errors.js";
import { writeAtomic } from "../runtime/atomic.js";
import { ExecError } from "../runtime/exec.js";
import { prepareBatch, usedResults } from "./batch-merge.js";
import type { MergeConflict } from "./conflict-types.js";
import { CONFLICT_LOG_ENV, readConflictLog } from "./driver.js";
import { writeJournal } from "./journal.js";
import { assertDeleteShare } from "./local-commit.js";
import type { Repo } from "./repo.js";

export interface ExchangeOptions {
  host: string;
  remote: string;
  branch: string;
  attempts: number;
  maxDeleteShare: number;
  minFiles: number;
  /** Seconds stamp for the backup ref name (the run's clock). */
  stamp: string;
}

export interface ExchangeResult {
  commitsIn: number;
  commitsOut: number;
  attempts: number;
  conflicts: MergeConflict[];
  backups: string[];
  /** Files merged in-process by the batch merge rather than one driver process each. */
  batchMerged: number;
}

/**
 * fetch → merge → push until the hub holds our HEAD, at most `attempts` times (another host may
 * push in between). Never forces, never rewrites published history: a rejected push means fetch
 * and merge again.
 */
export async function exchange(repo: Repo, o: ExchangeOptions): Promise<ExchangeResult> {
  const hubRef = `refs/remotes/${o.remote}/${o.branch}`;
  const result: ExchangeResult = {
    commitsIn: 0,
    commitsOut: 0,
    attempts: 0,
    conflicts: [],
    backups: [],
    batchMerged: 0,
  };
  for (let attempt = 1; attempt <= o.attempts; attempt++) {
    result.attempts = attempt;
    await network(
      repo,
      ["fetch", "--quiet", "--no-tags", o.remote, `+refs/heads/${o.branch}:${hubRef}`],
      "fetch from",
    );
    const hub = await repo.revParse(hubRef);
    const head = (await repo.revParse("HEAD"))!;
    if (hub) {
      const behind = await repo.count(`HEAD..${hub}`);
      const ahead = await repo.count(`${hub}..HEAD`);
      if (behind > 0) {
        const deleted = (
          await repo.out(["diff", "--name-only", "--no-renames", "--diff-filter=D", `HEAD...${hub}`])
        )
          .split("\n")
          .filter(Boolean).length;
        const total = (await repo.out(["ls-files"])).split("\n").filter(Boolean).length;
        assertDeleteShare(deleted, total, o.maxDeleteShare, o.minFiles, "the changes from the hub");
        result.commitsIn += behind;
        if (ahead === 0) {
          await writeJournal(repo, { phase: "merging", target: hub });
          await repo.run(["merge", "--ff-only", "--quiet", hub]);
        } else result.conflicts.push(...(await mergeHub(repo, o, hub, head, result)));
      }
      if ((await repo.revParse("HEAD")) === hub) return result;
    }
    const out = hub ? await repo.count(`${hub}..HEAD`) : await repo.count("HEAD");
    await writeJournal(repo, { phase: "pushing" });
    const push = await repo.run(["push", "--quiet", "--porcelain", o.remote, `HEAD:refs/heads/${o.branch}`], {
      allowFailure: true,
    });
    if (push.exitCode === 0) {
      result.commitsOut += out;
      await network(
        repo,
        ["fetch", "--quiet", "--no-tags", o.remote, `+refs/heads/${o.branch}:${hubRef}`],
        "fetch from",
      );
      return result;
    }
    if (
      push.timedOut ||
      !/\[rejected\]|\[remote rejected\]|non-fast-forward|fetch first|stale info|cannot lock ref/.test(
        push.stdout + push.stderr,
      )
    ) {
      throw new TransientError(
        "SYNC_NETWORK",
        `cannot push to the hub: ${(push.stderr || push.stdout).trim()}`,
      );
    }
  }
  throw new TransientError(
    "SYNC_HUB_BUSY",
    `the hub moved during each of ${o.attempts} attempts; local commits are kept and go out next run`,
  );
}

async function network(repo: Repo, args: string[], what: string): Promise<void> {
  try {
    await repo.run(args);
  } catch (error) {
    if (error instanceof ExecError) {
      const detail = error.result.timedOut
        ? "timed out"
        : (error.result.stderr || error.result.stdout).trim();
      throw new TransientError("SYNC_NETWORK", `cannot ${what} the hub: ${detail}`, { cause: error });
    }
    throw error;
  }
}

/**
 * A real merge through the kb driver, under a backup ref. File-level modify/delete keeps the
 * modified file; anything else the driver could not settle aborts the merge (the repo is as before).
 */
async function mergeHub(
  repo: Repo,
  o: ExchangeOptions,
  hub: string,
  head: string,
  result: ExchangeResult,
): Promise<MergeConflict[]> {
  const backup = `refs/kb/sync-backup/${o.stamp}-${result.attempts}`;
  await repo.run(["update-ref", backup, head]);
  result.backups.push(backup);
  const log = join(repo.gitDir, "kb-sync", `conflicts-${process.pid}.jsonl`);
  rmSync(log, { force: true });
  await writeJournal(repo, { phase: "merging", backup, target: hub });
  const registered = await repo.out(["config", "--get", "merge.kb.driver"]);
  const batch = await prepareBatch(repo, hub, registered);
  const merge = await repo.run(
    [
      ...(batch ? ["-c", `merge.kb.driver=${batch.driver}`] : []),
      "merge",
      "--no-ff",
      "--no-commit",
      "--quiet",
      hub,
    ],
    { allowFailure: true, env: { [CONFLICT_LOG_ENV]: log } },
  );
  const conflicts = readConflictLog(log);
  rmSync(log, { force: true });
  const used = batch ? usedResults(batch) : [];
  result.batchMerged += used.length;
  for (const merged of used) {
    conflicts.push(...merged.conflicts);
    for (const copy of merged.copies) {
      const target = join(repo.dir, copy.path);
      if (!existsSync(target)) await writeAtomic(target, copy.bytes);
    }
  }
  if (merge.exitCode !== 0) conflicts.push(...(await settleFileConflicts(repo, hub)));
  for (const copy of conflicts.map((c) => c.copy).filter((c): c is string => Boolean(c))) {
    await repo.run(["add", "--", copy]);
  }
  await repo.commit(o.host, `kb sync: ${o.host}: merge ${o.remote}/${o.branch}`, ["--no-edit"]);
  return conflicts;
}

/** Keep the surviving side of modify/delete conflicts; abort the merge on anything else. */
async function settleFileConflicts(repo: Repo, hub: string): Promise<MergeConflict[]> {
  const entries = (await repo.out(["ls-files", "-u", "-z"])).split("\0").filter(Boolean);
  const stages = new Map<string, Set<string>>();
  for (const entry of entries) {
    const [meta, path] = entry.split("\t") as [string, string];
    const stage = meta.split(" ")[2]!;
    stages.set(path, (stages.get(path) ?? new Set()).add(stage));
  }
  const settled: MergeConflict[] = [];
  for (const [path, set] of stages) {
    const modifyDelete = set.has("1") && set.size === 2;
    if (!modifyDelete) {
      await repo.run(["merge", "--abort"], { allowFailure: true });
      throw new NeedsHumanError(
        "SYNC_MERGE_FAILED",
        `merging ${hub.slice(0, 10)} left ${path} unresolved (the merge driver failed or the change is a rename clash); the merge was aborted and the brain is as before`,
      );
    }
    await repo.run(["add", "--", path]);
    settled.push({
      path,
      kind: "edit-vs-delete",
      severity: "note",
      detail: "one host deleted this file, the other changed it; the changed file is kept",
    });
  }
  if (stages.size === 0) {
    await repo.run(["merge", "--abort"], { allowFailure: true });
    throw new NeedsHumanError(
      "SYNC_MERGE_FAILED",
      `git merge of ${hub.slice(0, 10)} failed without unmerged files; aborted`,
    );
  }
  return settled;
}
