import { refreshAutonomy } from "../src/autonomy/refresh.js";
import { errorMessage } from "../src/errors.js";
import type { Context } from "../src/runtime/context.js";
import { runJob } from "../src/runtime/runner.js";
import { planSync } from "../src/sync/plan.js";
import { type SyncResult, syncBrain } from "../src/sync/run.js";
import type { JobResult } from "./types.js";

/**
 * The sync job: bring this host's brain clone and the hub to the same commit, merging per fact.
 * Conflicts end the run as `needs-human` with the conflicts in its summary, so `kb status` shows them.
 */
export async function run(ctx: Context, options: Record<string, unknown>): Promise<JobResult> {
  if (options.dryRun) {
    const plan = await planSync(ctx);
    return {
      text: describePlan(
        plan.steps,
        plan.problems.map((p) => p.message),
      ),
      data: plan,
    };
  }
  const outcome = await runJob(ctx, { job: "sync" }, async (run) => {
    const result = await syncBrain(ctx, run);
    // What came in may revert a change kb applied: demote its folder now, not at the next mine run.
    await refreshAutonomy(ctx, run.log).catch((error) =>
      run.log.warn("could not check kb's changes against what came in", { error: errorMessage(error) }),
    );
    return {
      status: result.result === "conflict" ? ("needs-human" as const) : ("ok" as const),
      counts: {
        commitsIn: result.commitsIn,
        commitsOut: result.commitsOut,
        conflicts: result.conflicts.length,
      },
      summary: summaryOf(result),
      result,
    };
  });
  const data = { ...outcome.result, runId: outcome.runId };
  return {
    status: outcome.status,
    counts: outcome.counts,
    summary: outcome.summary,
    text: describe(data),
    data,
  };
}

function summaryOf(r: SyncResult): Record<string, unknown> {
  const open = r.conflicts.filter((c) => c.severity === "conflict");
  return {
    result: r.result,
    commitsIn: r.commitsIn,
    commitsOut: r.commitsOut,
    conflicts: open.slice(0, 20).map((c) => ({ path: c.path, kind: c.kind, detail: c.detail, copy: c.copy })),
    unresolved: [...r.unresolved.marked, ...r.unresolved.copies].slice(0, 20),
    report: r.report,
  };
}

export function describe(r: SyncResult): string {
  const head = `sync ${r.result}: ${r.commitsIn} commit(s) in, ${r.commitsOut} out${r.localCommit ? ", local changes committed" : ""}`;
  const lines = [head];
  for (const c of r.conflicts) lines.push(`  ${c.severity} ${c.path}: ${c.detail}`);
  const open = [...r.unresolved.marked, ...r.unresolved.copies];
  if (open.length > 0) lines.push(`  still unresolved: ${open.join(", ")}`);
  const rb = r.reviewBranches;
  if (rb?.published.length) lines.push(`  review branches published to the hub: ${rb.published.join(", ")}`);
  if (rb?.merged.length)
    lines.push(`  review branches merged on the hub, deleted here: ${rb.merged.join(", ")}`);
  if (rb?.withdrawn.length)
    lines.push(`  review branches withdrawn from the hub: ${rb.withdrawn.join(", ")}`);
  if (rb?.closed?.length)
    lines.push(`  review branches deleted on the hub without merging, dropped here: ${rb.closed.join(", ")}`);
  if (r.report) lines.push(`  report: ${r.report}`);
  return lines.join("\n");
}

function describePlan(steps: string[], problems: string[]): string {
  return [...problems.map((p) => `problem: ${p}`), ...steps.map((s) => `would ${s}`)].join("\n");
}
