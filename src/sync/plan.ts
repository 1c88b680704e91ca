import type { Context } from "../runtime/context.js";
import { type PreflightProblem, preflight } from "./preflight.js";
import { brainRepo } from "./run.js";

export interface SyncPlan {
  dryRun: true;
  hub: string | null;
  branch: string;
  problems: PreflightProblem[];
  localChanges: string[];
  head: string | null;
  hubHead: string | null;
  steps: string[];
}

/** What a sync would do now, read-only (`kb sync --dry-run`): preflight, local changes, the hub's head. */
export async function planSync(ctx: Context): Promise<SyncPlan> {
  const cfg = ctx.config.sync;
  const repo = brainRepo(ctx, Date.now() + cfg.deadlineSeconds * 1000);
  const problems = await preflight(repo, cfg.branch);
  const plan: SyncPlan = {
    dryRun: true,
    hub: cfg.hub ?? null,
    branch: cfg.branch,
    problems,
    localChanges: [],
    head: null,
    hubHead: null,
    steps: [],
  };
  if (problems.some((p) => ["BRAIN_MISSING", "BRAIN_EMPTY", "NOT_A_CLONE"].includes(p.code))) return plan;
  plan.localChanges = (await repo.out(["status", "--porcelain", "--untracked-files=all"]))
    .split("\n")
    .filter(Boolean);
  plan.head = await repo.revParse("HEAD");
  const remote = await repo.run(["ls-remote", "--heads", cfg.remote, cfg.branch], { allowFailure: true });
  plan.hubHead = remote.exitCode === 0 ? remote.stdout.split(/\s/)[0] || null : null;
  if (problems.length > 0) plan.steps.push("refuse: fix the problems above first");
  else {
    if (plan.localChanges.length > 0) plan.steps.push(`commit ${plan.localChanges.length} local change(s)`);
    if (remote.exitCode !== 0) plan.steps.push("the hub is unreachable now; the run would end as network");
    else if (plan.hubHead === plan.head && plan.localChanges.length === 0)
      plan.steps.push("nothing to do: in sync");
    else plan.steps.push("fetch the hub, merge with the kb driver under a backup ref, push, verify");
  }
  return plan;
}
