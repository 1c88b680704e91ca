import { NeedsHumanError, UsageError } from "../errors.js";
import { ExecError } from "../runtime/exec.js";
import { git, gitOut } from "../runtime/git.js";
import type { Repo } from "./git-output.js";

/** Only kb's own review branches can be accepted or rejected by these commands. */
export function assertReviewBranch(branch: string): void {
  if (!/^kb\/[a-z]+\/[A-Za-z0-9._/-]+$/.test(branch) || branch.includes("..")) {
    throw new UsageError(
      "NOT_A_REVIEW_BRANCH",
      `"${branch}" is not a kb review branch; expected a name like kb/mine/2026-11-24-vps`,
    );
  }
}

async function tipOf(repo: Repo, branch: string): Promise<string> {
  const res = await git(["-C", repo.top, "rev-parse", "--verify", "-q", `refs/heads/${branch}`], {
    allowFailure: true,
  });
  if (res.exitCode !== 0) {
    const list = await gitOut([
      "-C",
      repo.top,
      "for-each-ref",
      "--format=%(refname:short)",
      "refs/heads/kb/",
    ]);
    throw new UsageError(
      "NO_SUCH_BRANCH",
      `no branch ${branch}; review branches: ${list.split("\n").filter(Boolean).join(", ") || "none"}`,
    );
  }
  return res.stdout.trim();
}

/** The commits and files a review branch adds on top of the current branch. */
export async function describeBranch(repo: Repo, branch: string) {
  const tip = await tipOf(repo, branch);
  const commits = (await gitOut(["-C", repo.top, "log", "--format=%h %s", `HEAD..${tip}`]))
    .split("\n")
    .filter(Boolean);
  const files = (await gitOut(["-C", repo.top, "diff", "--name-only", `HEAD...${tip}`]))
    .split("\n")
    .filter(Boolean);
  return { branch, tip, commits, files };
}

/** Merge a review branch into the current branch (the fact-aware merge driver applies), then delete it. */
export async function acceptBranch(repo: Repo, branch: string, host: string, dryRun: boolean) {
  const info = await describeBranch(repo, branch);
  if (dryRun) return { ...info, merged: false };
  const identity = ["-c", "user.name=kb accept", "-c", `user.email=kb-accept@${host}`];
  try {
    await git([
      ...identity,
      "-C",
      repo.top,
      "merge",
      "--no-ff",
      "--no-edit",
      "-m",
      `kb accept: merge ${branch}`,
      info.tip,
    ]);
  } catch (error) {
    await git(["-C", repo.top, "merge", "--abort"], { allowFailure: true });
    const detail = error instanceof ExecError ? error.result.stdout + error.result.stderr : String(error);
    throw new NeedsHumanError(
      "ACCEPT_CONFLICT",
      `${branch} does not merge cleanly; nothing changed. git said:\n${detail.trim().slice(0, 800)}`,
    );
  }
  await git(["-C", repo.top, "branch", "-D", branch]);
  return { ...info, merged: true };
}

/** Delete a review branch; its tip is kept under refs/kb/rejected/ so a mistake can be undone. */
export async function rejectBranch(repo: Repo, branch: string, dryRun: boolean) {
  const info = await describeBranch(repo, branch);
  if (dryRun) return { ...info, deleted: false, keptAs: null };
  const keptAs = `refs/kb/rejected/${branch}`;
  await git(["-C", repo.top, "update-ref", keptAs, info.tip]);
  await git(["-C", repo.top, "branch", "-D", branch]);
  return { ...info, deleted: true, keptAs };
}
