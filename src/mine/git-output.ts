import { existsSync, realpathSync, rmSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { ConfigError } from "../errors.js";
import { git, gitOut } from "../runtime/git.js";

/** The git repository holding the brain, and the brain's folder inside it ("" at the root). */
export interface Repo {
  top: string;
  prefix: string;
}

export async function locateRepo(brain: string): Promise<Repo | null> {
  const res = await git(["-C", brain, "rev-parse", "--show-toplevel"], { allowFailure: true });
  if (res.exitCode !== 0) return null;
  const top = res.stdout.trim();
  const prefix = relative(realpathSync(top), realpathSync(brain)).split(sep).join("/");
  return { top, prefix };
}

/** The author of kb's own commits: `kb mine`, or another job ("kb consolidate"). */
const identity = (host: string, name = "kb mine") => [
  "-c",
  `user.name=${name}`,
  "-c",
  `user.email=${name.replace(/\s+/g, "-")}@${host}`,
];

export function reviewBranchName(date: string, host: string): string {
  return `kb/mine/${date}-${host}`;
}

/**
 * A review branch edited in a temporary worktree, so the main working tree (which `kb sync` owns)
 * never changes branch. Each `commit` advances the branch; `close` removes the worktree.
 */
export class ReviewBranch {
  private constructor(
    readonly repo: Repo,
    readonly branch: string,
    readonly worktree: string,
    private readonly host: string,
    private readonly author = "kb mine",
  ) {}

  get brainDir(): string {
    return this.repo.prefix ? join(this.worktree, this.repo.prefix) : this.worktree;
  }

  static async open(
    repo: Repo,
    branch: string,
    worktree: string,
    host: string,
    author = "kb mine",
  ): Promise<ReviewBranch> {
    await dropWorktree(repo, worktree);
    const exists = await git(["-C", repo.top, "rev-parse", "--verify", "-q", `refs/heads/${branch}`], {
      allowFailure: true,
    });
    const base = exists.exitCode === 0 ? `refs/heads/${branch}` : "HEAD";
    await git(["-C", repo.top, "worktree", "add", "--detach", worktree, base]);
    const rb = new ReviewBranch(repo, branch, worktree, host, author);
    if (!existsSync(rb.brainDir)) {
      await rb.close();
      throw new ConfigError(
        "MINE_BRAIN_NOT_COMMITTED",
        `the brain folder ${repo.prefix || "."} is not committed in ${repo.top}; commit it before mining in review mode`,
      );
    }
    return rb;
  }

  /** Commit whatever changed in the brain; returns the new commit, or null when nothing changed. */
  async commit(message: string): Promise<string | null> {
    const path = this.repo.prefix || ".";
    await git(["-C", this.worktree, "add", "-A", "--", path]);
    const diff = await git(["-C", this.worktree, "diff", "--cached", "--quiet"], { allowFailure: true });
    if (diff.exitCode === 0) return null;
    await git([
      ...identity(this.host, this.author),
      "-C",
      this.worktree,
      "commit",
      "-q",
      "--no-verify",
      "-m",
      message,
    ]);
    const sha = await gitOut(["-C", this.worktree, "rev-parse", "HEAD"]);
    await git(["-C", this.repo.top, "update-ref", `refs/heads/${this.branch}`, sha]);
    return sha;
  }

  async close(): Promise<void> {
    await dropWorktree(this.repo, this.worktree);
  }
}

async function dropWorktree(repo: Repo, worktree: string): Promise<void> {
  if (existsSync(worktree)) {
    await git(["-C", repo.top, "worktree", "remove", "--force", worktree], { allowFailure: true });
    rmSync(worktree, { recursive: true, force: true });
  }
  await git(["-C", repo.top, "worktree", "prune"], { allowFailure: true });
}

/** Apply mode: commit exactly these brain paths on the current branch of the main working tree. */
export async function commitPaths(
  repo: Repo,
  brainPaths: string[],
  message: string,
  host: string,
  author = "kb mine",
): Promise<string | null> {
  if (brainPaths.length === 0) return null;
  const paths = brainPaths.map((p) => (repo.prefix ? `${repo.prefix}/${p}` : p));
  await git(["-C", repo.top, "add", "--", ...paths]);
  const diff = await git(["-C", repo.top, "diff", "--cached", "--quiet", "--", ...paths], {
    allowFailure: true,
  });
  if (diff.exitCode === 0) return null;
  await git([
    ...identity(host, author),
    "-C",
    repo.top,
    "commit",
    "-q",
    "--no-verify",
    "-m",
    message,
    "--",
    ...paths,
  ]);
  return gitOut(["-C", repo.top, "rev-parse", "HEAD"]);
}
