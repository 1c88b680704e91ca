import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { ConfigError, NeedsHumanError } from "../errors.js";
import type { Context } from "../runtime/context.js";
import { git } from "../runtime/git.js";
import { Repo } from "./repo.js";
import { ensureAttributes, registerDriver } from "./setup.js";

export interface InitResult {
  action: "published" | "cloned" | "joined" | "already-set-up";
  brain: string;
  hub: string;
  changes: string[];
}

/**
 * Make this host ready to sync, idempotently: publish the local brain to an empty hub, or clone
 * the hub (refusing a non-empty brain that is not a clone of it); register the merge driver;
 * commit `.gitattributes`.
 */
export async function initHost(ctx: Context): Promise<InitResult> {
  const { brain, host } = ctx.config;
  const { hub, branch, remote } = ctx.config.sync;
  if (!hub)
    throw new ConfigError(
      "SYNC_NO_HUB",
      "sync.hub is not set in the config: the path or URL of the hub repository",
    );
  const opts = {
    sshConnectTimeoutSeconds: ctx.config.sync.sshConnectTimeoutSeconds,
    sshKey: ctx.config.sync.sshKey,
    timeoutMs: ctx.config.sync.deadlineSeconds * 1000,
  };
  const changes: string[] = [];
  if (isLocal(hub) && !existsSync(hub)) {
    mkdirSync(hub, { recursive: true });
    await git(["init", "--quiet", "--bare", `--initial-branch=${branch}`, hub], opts);
    changes.push(`created a bare hub at ${hub}`);
  }
  const heads = await git(["ls-remote", "--heads", hub, branch], opts);
  const hubEmpty = heads.stdout.trim() === "";
  const repo = new Repo(brain, {
    sshConnectTimeoutSeconds: opts.sshConnectTimeoutSeconds,
    sshKey: opts.sshKey,
  });
  const brainFiles = existsSync(brain) ? readdirSync(brain).filter((n) => n !== ".git") : [];
  let action: InitResult["action"] = "already-set-up";
  if (!existsSync(repo.gitDir)) {
    if (!hubEmpty && brainFiles.length > 0) {
      throw new NeedsHumanError(
        "INIT_NOT_A_CLONE",
        `${brain} holds ${brainFiles.length} entries but is not a clone of the hub ${hub}; kb will not overwrite it. ` +
          "Move it away (or point brain: at an empty folder) and run kb init again",
      );
    }
    if (hubEmpty) {
      mkdirSync(brain, { recursive: true });
      await repo.run(["init", "--quiet", `--initial-branch=${branch}`]);
      action = "published";
    } else {
      await git(["clone", "--quiet", "--origin", remote, "--branch", branch, hub, brain], opts);
      action = "cloned";
      changes.push(`cloned ${hub} into ${brain}`);
    }
  }
  await ensureRemote(repo, remote, hub, changes);
  await registerDriver(repo);
  await repo.run(["config", `branch.${branch}.remote`, remote]);
  await repo.run(["config", `branch.${branch}.merge`, `refs/heads/${branch}`]);
  const hasHead = (await repo.revParse("HEAD")) !== null;
  if (!hubEmpty && action !== "cloned") {
    await repo.run(["fetch", "--quiet", remote, `+refs/heads/${branch}:refs/remotes/${remote}/${branch}`]);
    const base = hasHead
      ? await repo.run(["merge-base", "HEAD", `refs/remotes/${remote}/${branch}`], { allowFailure: true })
      : null;
    if (base?.exitCode !== 0) {
      throw new NeedsHumanError(
        "INIT_NOT_A_CLONE",
        `${brain} is a git repository with no history in common with the hub ${hub}; kb will not mix them. ` +
          "Clone the hub into an empty folder instead",
      );
    }
    if (action === "already-set-up") action = "joined";
  }
  if (await ensureAttributes(repo)) changes.push("added kb's lines to .gitattributes");
  const dirty = await repo.out(["status", "--porcelain", "--", ".gitattributes"]);
  if (dirty || hubEmpty) {
    await repo.run(["add", hubEmpty ? "-A" : ".gitattributes"]);
    if (!(await repo.ok(["diff", "--cached", "--quiet"]))) {
      const what = hubEmpty ? "publish the brain" : "select the kb merge driver in .gitattributes";
      await repo.commit(host, `kb sync: ${host}: ${what}`);
      changes.push(`committed: ${what}`);
    }
  }
  if (hubEmpty) {
    await repo.run(["push", "--quiet", remote, `HEAD:refs/heads/${branch}`]);
    await repo.run(["fetch", "--quiet", remote, `+refs/heads/${branch}:refs/remotes/${remote}/${branch}`]);
    changes.push(`published ${branch} to ${hub}`);
    action = "published";
  }
  return { action: changes.length === 0 ? "already-set-up" : action, brain, hub, changes };
}

async function ensureRemote(repo: Repo, remote: string, hub: string, changes: string[]): Promise<void> {
  const current = await repo.run(["remote", "get-url", remote], { allowFailure: true });
  if (current.exitCode !== 0) {
    await repo.run(["remote", "add", remote, hub]);
    changes.push(`added remote ${remote} → ${hub}`);
  } else if (current.stdout.trim() !== hub) {
    throw new NeedsHumanError(
      "INIT_OTHER_HUB",
      `the brain's remote ${remote} points at ${current.stdout.trim()}, not sync.hub ${hub}; fix one of them (git remote set-url ${remote} …)`,
    );
  }
}

function isLocal(hub: string): boolean {
  return !/^[a-z+]+:\/\//i.test(hub) && !/^[^/]+@[^:]+:/.test(hub);
}
