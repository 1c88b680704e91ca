import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { gitProcessAlive, type Repo } from "./repo.js";
import { readSetup } from "./setup.js";

export interface PreflightProblem {
  code: string;
  message: string;
  /** What a person should do. */
  hint: string;
}

/** Whether any file lives under `dir` (outside `.git`); stops at the first one. */
function holdsAFile(dir: string): boolean {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === ".git") continue;
    if (!entry.isDirectory() || holdsAFile(join(dir, entry.name))) return true;
  }
  return false;
}

const CLOUD_FOLDER = /(Dropbox|iCloud|Mobile Documents|OneDrive|Google Drive|CloudStorage)/i;

/**
 * Every reason not to touch the brain clone now. Read-only: it changes nothing. A stale
 * `index.lock` is reported as such; one held by a live git process is `busy`.
 */
export async function preflight(repo: Repo, branch: string): Promise<PreflightProblem[]> {
  const problems: PreflightProblem[] = [];
  const add = (code: string, message: string, hint: string) => problems.push({ code, message, hint });
  const dir = repo.dir;
  if (!existsSync(dir)) {
    add("BRAIN_MISSING", `brain folder ${dir} does not exist`, "check brain: in the config, or run kb init");
    return problems;
  }
  if (!holdsAFile(dir)) {
    add("BRAIN_EMPTY", `brain folder ${dir} is empty`, "a missing mount? kb will not sync an empty brain");
    return problems;
  }
  if (!existsSync(repo.gitDir)) {
    add("NOT_A_CLONE", `${dir} is not a git clone of the hub`, "run kb init");
    return problems;
  }
  const cloud = CLOUD_FOLDER.exec(dir);
  if (cloud) {
    add(
      "CLOUD_FOLDER",
      `the brain is inside a cloud-synced folder (${cloud[1]})`,
      "move the brain to a local folder",
    );
  }
  for (const [marker, what] of [
    ["MERGE_HEAD", "a merge"],
    ["rebase-merge", "a rebase"],
    ["rebase-apply", "a rebase or am"],
    ["CHERRY_PICK_HEAD", "a cherry-pick"],
    ["REVERT_HEAD", "a revert"],
    ["BISECT_LOG", "a bisect"],
  ] as const) {
    if (existsSync(join(repo.gitDir, marker))) {
      add(
        "IN_PROGRESS",
        `${what} is in progress in ${dir} (.git/${marker})`,
        "finish or abort it with git, then run kb sync",
      );
    }
  }
  if (existsSync(join(repo.gitDir, "index.lock"))) {
    if (gitProcessAlive(dir))
      add("BUSY", "another git process is working in the brain", "kb sync will retry next run");
    else
      add(
        "STALE_INDEX_LOCK",
        `${join(repo.gitDir, "index.lock")} exists and no git process is running`,
        "a crashed git left it; check `git status`, then delete the file",
      );
    return problems;
  }
  const unmerged = (await repo.out(["ls-files", "-u"])).split("\n").filter(Boolean);
  if (unmerged.length > 0) {
    add(
      "UNMERGED",
      `${unmerged.length} unmerged index entries`,
      "resolve them with git (git status lists them)",
    );
  }
  const head = await repo.run(["symbolic-ref", "-q", "--short", "HEAD"], { allowFailure: true });
  if (head.exitCode !== 0) add("DETACHED_HEAD", "HEAD is detached", `check out ${branch}`);
  else if (head.stdout.trim() !== branch) {
    add(
      "WRONG_BRANCH",
      `the brain is on branch ${head.stdout.trim()}, not ${branch}`,
      `git switch ${branch}`,
    );
  }
  const setup = await readSetup(repo);
  if (!setup.driverOk || !setup.checkAttrOk) {
    const why = !setup.driver
      ? "merge.kb.driver is not set in .git/config"
      : !setup.driverOk
        ? `merge.kb.driver points at files that do not exist (${setup.driver})`
        : ".gitattributes does not select the kb driver for markdown";
    add("DRIVER_MISSING", `the kb merge driver is not in effect: ${why}`, "run kb doctor --fix (or kb init)");
  }
  return problems;
}
