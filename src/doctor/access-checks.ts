import { accessSync, constants, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { userInfo } from "node:os";
import { dirname, join } from "node:path";
import { exec } from "../runtime/exec.js";
import { count } from "../runtime/plural.js";
import type { CheckGroup, CheckResult } from "./types.js";

/** Folders kb writes, checked as the account running doctor: the one cron or systemd runs kb as. */
export const accessChecks: CheckGroup = async ({ ctx }) => {
  if (!ctx) return [];
  const { brain, state, reports } = ctx.config;
  const user = userInfo().username;
  const checks: CheckResult[] = [];
  for (const [id, dir, deep] of [
    ["brain-write", brain, true],
    ["state-write", state, false],
    ["reports-write", reports, false],
  ] as const) {
    if (id === "brain-write" && !existsSync(brain)) continue; // the brain check already says so
    const blocked = unwritable(dir, deep);
    if (blocked.length === 0) {
      checks.push({ id, status: "ok", message: `${user} can write ${dir}` });
      continue;
    }
    const first = blocked[0]!;
    const owner = ownerOf(first);
    if (!existsSync(dir)) {
      checks.push({
        id,
        status: "error",
        message: `${user} cannot create ${dir}: ${first} (owned by ${owner}) is not writable to ${user}`,
        hint: `sudo install -d -o ${user} ${dir} (never chmod 777)`,
      });
      continue;
    }
    const more = blocked.length > 1 ? ` and ${count(blocked.length - 1, "more folder")} under it` : "";
    checks.push({
      id,
      status: "error",
      message: `${user} cannot write ${first} (owned by ${owner})${more}; kb running as ${user} would fail there with EACCES`,
      hint: `sudo chown -R ${user} ${dir}, or run kb as ${owner} (never chmod 777)`,
    });
  }
  if (existsSync(brain)) checks.push(await gitOwnershipCheck(brain, user));
  return checks;
};

/**
 * Folders under `dir` this process cannot create files in: `dir` itself (or, when it does not exist
 * yet, the nearest parent that does), and with `deep` every folder below it, `.git` included.
 */
function unwritable(dir: string, deep: boolean): string[] {
  let probe = dir;
  while (!existsSync(probe) && dirname(probe) !== probe) probe = dirname(probe);
  const out: string[] = [];
  const visit = (d: string) => {
    if (!canWrite(d)) out.push(d);
    if (!deep) return;
    for (const e of readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) visit(join(d, e.name));
  };
  visit(probe);
  return out;
}

function canWrite(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Git (since 2.35.2) refuses a repository another account owns ("detected dubious ownership"),
 * so every sync, commit and status line fails until the owner matches or safe.directory says so.
 */
async function gitOwnershipCheck(brain: string, user: string): Promise<CheckResult> {
  const r = await exec("git", ["-C", brain, "rev-parse", "--git-dir"], { allowFailure: true }).catch(
    () => null,
  );
  if (!r || !/dubious ownership/.test(r.stderr)) {
    return { id: "brain-git-owner", status: "ok", message: `git accepts ${brain} as ${user}'s repository` };
  }
  return {
    id: "brain-git-owner",
    status: "error",
    message: `git refuses ${brain} for ${user}: the repository is owned by ${ownerOf(brain)} ("detected dubious ownership")`,
    hint: `sudo chown -R ${user} ${brain}; only if another account must own it: git config --global --add safe.directory ${brain} (never chmod 777)`,
  };
}

/** The account owning `path`, by name where /etc/passwd knows it. */
function ownerOf(path: string): string {
  const uid = statSync(path).uid;
  try {
    const line = readFileSync("/etc/passwd", "utf8")
      .split("\n")
      .find((l) => l.split(":")[2] === String(uid));
    if (line) return line.split(":")[0]!;
  } catch {
    // no /etc/passwd (or not readable): the uid is still an answer
  }
  return `uid ${uid}`;
}
