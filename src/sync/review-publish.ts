import type { Logger } from "../runtime/log.js";
import type { Repo } from "./repo.js";

export interface ReviewBranchesOutcome {
  /** Review branches pushed to the hub this run (new or with new commits). */
  published: string[];
  /** Review branches found merged into the synced branch (e.g. a pull request merged on a forge), deleted here. */
  merged: string[];
  /** Review branches accepted or rejected on this host since they were published, removed from the hub. */
  withdrawn: string[];
  /**
   * Published review branches deleted on the hub without being merged (a pull request closed and
   * its branch deleted): dropped here as `kb reject` drops them, the tip kept under refs/kb/rejected/.
   */
  closed: string[];
}

const PUBLISHED = "refs/kb/published/";

/**
 * Publish this host's review branches (`kb/mine/…`, named per host so hosts never clash) to the
 * hub, where a forge shows them as pull requests, and tidy up the ones already merged there.
 * Only fast-forward pushes: a branch the hub holds at a different history is left alone and
 * reported; one accepted or rejected here is withdrawn from the hub. The tip last published is kept under `refs/kb/published/` so an unchanged branch
 * costs no network round trip. Failures are logged, never fatal: the brain itself is synced.
 */
export async function publishReviewBranches(
  repo: Repo,
  remote: string,
  log: Logger,
): Promise<ReviewBranchesOutcome> {
  const outcome: ReviewBranchesOutcome = { published: [], merged: [], withdrawn: [], closed: [] };
  const unchanged: string[] = [];
  const branches = await tips(repo, "refs/heads/kb/");
  const published = await tips(repo, PUBLISHED);
  for (const [ref, tip] of branches) {
    const branch = ref.slice("refs/heads/".length);
    const mark = `${PUBLISHED}${branch}`;
    if (await repo.ok(["merge-base", "--is-ancestor", tip, "HEAD"])) {
      await repo.run(["branch", "-D", branch]);
      if (published.has(mark)) {
        await repo.run(["push", "--quiet", remote, `:refs/heads/${branch}`], { allowFailure: true });
        await repo.run(["update-ref", "-d", mark]);
      }
      outcome.merged.push(branch);
      continue;
    }
    if (published.get(mark) === tip) {
      unchanged.push(branch);
      continue;
    }
    const push = await repo.run(["push", "--quiet", "--porcelain", remote, `${ref}:${ref}`], {
      allowFailure: true,
    });
    if (push.exitCode === 0) {
      await repo.run(["update-ref", mark, tip]);
      outcome.published.push(branch);
    } else {
      log.warn("could not publish a review branch to the hub; it stays local", {
        branch,
        detail: (push.stderr || push.stdout).trim().slice(0, 300),
      });
    }
  }
  outcome.closed = await dropClosed(repo, remote, unchanged, branches);
  // Accepted or rejected here since they were published: withdraw them from the hub as well.
  for (const mark of published.keys()) {
    const branch = mark.slice(PUBLISHED.length);
    if (branches.has(`refs/heads/${branch}`)) continue;
    const gone = await repo.run(["push", "--quiet", remote, `:refs/heads/${branch}`], { allowFailure: true });
    if (gone.exitCode === 0 || /remote ref does not exist/.test(gone.stderr)) {
      await repo.run(["update-ref", "-d", mark]);
      outcome.withdrawn.push(branch);
    }
  }
  return outcome;
}

/** Published, unchanged branches the hub no longer has: one `ls-remote`, and only when there are any. */
async function dropClosed(
  repo: Repo,
  remote: string,
  unchanged: string[],
  branches: Map<string, string>,
): Promise<string[]> {
  if (unchanged.length === 0) return [];
  const res = await repo.run(["ls-remote", "--heads", remote, "refs/heads/kb/*"], { allowFailure: true });
  if (res.exitCode !== 0) return [];
  const onHub = new Set(
    res.stdout
      .split("\n")
      .map((l) => l.split("\t")[1])
      .filter(Boolean),
  );
  const closed: string[] = [];
  for (const branch of unchanged) {
    const ref = `refs/heads/${branch}`;
    if (onHub.has(ref)) continue;
    await repo.run(["update-ref", `refs/kb/rejected/${branch}`, branches.get(ref)!]);
    await repo.run(["branch", "-D", branch]);
    await repo.run(["update-ref", "-d", `${PUBLISHED}${branch}`]);
    branches.delete(ref);
    closed.push(branch);
  }
  return closed;
}

async function tips(repo: Repo, prefix: string): Promise<Map<string, string>> {
  const out = await repo.out(["for-each-ref", "--format=%(refname) %(objectname)", prefix]);
  return new Map(
    out
      .split("\n")
      .filter(Boolean)
      .map((line) => line.split(" ") as [string, string]),
  );
}
