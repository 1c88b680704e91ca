import { existsSync, statSync } from "node:fs";
import { preflight } from "../sync/preflight.js";
import { Repo } from "../sync/repo.js";
import { findUnresolved } from "../sync/run.js";
import { ensureAttributes, readSetup, registerDriver } from "../sync/setup.js";
import type { CheckGroup, CheckResult } from "./types.js";

/**
 * Sync readiness: the brain is a clone of the hub, the merge driver is registered with paths that
 * exist, `.gitattributes` selects it, the repository is in a state a sync can start from, and no
 * conflict is left unresolved. `--fix` registers the driver and commits `.gitattributes`.
 */
export const syncChecks: CheckGroup = async ({ ctx, fix }) => {
  if (!ctx) return [];
  const { brain, host } = ctx.config;
  const { hub, branch, remote } = ctx.config.sync;
  if (!hub) return [{ id: "sync", status: "ok", message: "sync.hub is not set: this host does not sync" }];
  const repo = new Repo(brain, { deadline: Date.now() + 30_000 });
  if (!existsSync(repo.gitDir)) {
    return [
      {
        id: "sync-clone",
        status: "error",
        message: `${brain} is not a clone of the hub ${hub}`,
        hint: "run kb init",
      },
    ];
  }
  const checks: CheckResult[] = [];
  if (ctx.config.sync.sshKey) checks.push(sshKeyCheck(ctx.config.sync.sshKey));
  const url = await repo.run(["remote", "get-url", remote], { allowFailure: true });
  checks.push(
    url.exitCode === 0 && url.stdout.trim() === hub
      ? { id: "sync-remote", status: "ok", message: `remote ${remote} → ${hub}` }
      : {
          id: "sync-remote",
          status: "error",
          message:
            url.exitCode === 0
              ? `remote ${remote} points at ${url.stdout.trim()}, not sync.hub ${hub}`
              : `the brain has no remote ${remote}`,
          hint: "run kb init, or git remote set-url",
        },
  );
  let setup = await readSetup(repo);
  if (fix && !setup.driverOk) {
    await registerDriver(repo);
    setup = await readSetup(repo);
    checks.push({
      id: "sync-driver",
      status: setup.driverOk ? "ok" : "error",
      message: "registered the kb merge driver in .git/config",
      fixed: setup.driverOk,
    });
  } else {
    checks.push(
      setup.driverOk
        ? { id: "sync-driver", status: "ok", message: `merge driver: ${setup.driver}` }
        : {
            id: "sync-driver",
            status: "error",
            message: setup.driver
              ? `merge.kb.driver points at files that do not exist: ${setup.driver}`
              : "the kb merge driver is not registered in .git/config; git would fall back to a text merge",
            hint: "kb doctor --fix",
          },
    );
  }
  const committed =
    (await repo.run(["ls-files", "--error-unmatch", ".gitattributes"], { allowFailure: true })).exitCode ===
    0;
  const clean = committed && (await repo.out(["status", "--porcelain", "--", ".gitattributes"])) === "";
  if (fix && (!setup.attributesOk || !clean)) {
    await ensureAttributes(repo);
    await repo.run(["add", ".gitattributes"]);
    await repo.commit(host, `kb sync: ${host}: select the kb merge driver in .gitattributes`);
    checks.push({
      id: "sync-attributes",
      status: "ok",
      message: "committed kb's lines in .gitattributes",
      fixed: true,
    });
  } else {
    checks.push(
      setup.attributesOk && setup.checkAttrOk && clean
        ? {
            id: "sync-attributes",
            status: "ok",
            message: ".gitattributes selects the kb driver (markdown stored with LF)",
          }
        : {
            id: "sync-attributes",
            status: "error",
            message: !setup.attributesOk
              ? ".gitattributes lacks `* merge=kb` / `*.md merge=kb text eol=lf`"
              : ".gitattributes is not committed",
            hint: "kb doctor --fix",
          },
    );
  }
  if (process.platform === "darwin") {
    const pre = (
      await repo.run(["config", "--get", "core.precomposeunicode"], { allowFailure: true })
    ).stdout.trim();
    if (pre !== "true") {
      if (fix) await repo.run(["config", "core.precomposeunicode", "true"]);
      checks.push({
        id: "sync-unicode",
        status: fix ? "ok" : "warn",
        message: "core.precomposeunicode is not true",
        fixed: fix,
        hint: "kb doctor --fix",
      });
    }
  }
  const problems = (await preflight(repo, branch)).filter((p) => p.code !== "DRIVER_MISSING");
  for (const p of problems)
    checks.push({
      id: `sync-${p.code.toLowerCase().replace(/_/g, "-")}`,
      status: "error",
      message: p.message,
      hint: p.hint,
    });
  const open = await findUnresolved(repo);
  const count = open.marked.length + open.copies.length;
  checks.push(
    count === 0
      ? { id: "sync-conflicts", status: "ok", message: "no unresolved sync conflicts" }
      : {
          id: "sync-conflicts",
          status: "warn",
          message: `${count} unresolved sync conflict(s): ${[...open.marked, ...open.copies].slice(0, 5).join(", ")}`,
          hint: "keep the right version, delete the <!-- kb:conflict … --> markers and conflict copies",
        },
  );
  return checks;
};

/** ssh ignores a private key others can read ("UNPROTECTED PRIVATE KEY FILE"): say so before cron finds out. */
function sshKeyCheck(key: string): CheckResult {
  if (!existsSync(key))
    return {
      id: "sync-ssh-key",
      status: "error",
      message: `sync.sshKey ${key} does not exist`,
      hint: "ssh-keygen -t ed25519 -f <path> -N ''",
    };
  const mode = statSync(key).mode & 0o777;
  if (mode & 0o077)
    return {
      id: "sync-ssh-key",
      status: "error",
      message: `sync.sshKey ${key} is readable by others (mode ${mode.toString(8)}); ssh refuses such keys`,
      hint: `chmod 600 ${key}`,
    };
  return { id: "sync-ssh-key", status: "ok", message: `ssh key for the hub: ${key}` };
}
