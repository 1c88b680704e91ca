import { type ConsolidateOptions, type ConsolidateResult, consolidate } from "../src/consolidate/run.js";
import type { Context } from "../src/runtime/context.js";
import { runJob } from "../src/runtime/runner.js";
import type { JobResult } from "./types.js";

/**
 * Nightly, brain-wide: every changed value converges. Statements of one subject and attribute
 * that an effective date, a change or a newer statement has replaced are superseded (to a review
 * branch or the main branch, per `mine.autonomy`); contradictions no evidence settles are put in
 * front of a person (`kb status`, `kb settle`). Options: `dryRun`, `mode`.
 */
export async function run(ctx: Context, options: Record<string, unknown>): Promise<JobResult> {
  const opts: ConsolidateOptions = {
    dryRun: options.dryRun === true,
    mode: options.mode === "review" || options.mode === "apply" ? options.mode : undefined,
  };
  const outcome = await runJob(ctx, { job: "consolidate", dryRun: opts.dryRun }, async (handle) => {
    const r = await consolidate(ctx, handle, opts);
    // Open contradictions are content for a person (kb status lists them; one alert names them),
    // not a failed run: the job is ok. A file it could not write needs a person.
    return {
      result: r,
      ...(r.skipped.length > 0 ? { status: "needs-human" as const } : {}),
      ...(r.contested.length > 0
        ? {
            notice: {
              kind: "contested" as const,
              message: `${r.contested.length} contradiction(s) wait for a person: kb status lists them, kb settle ID --keep FILE:LINE keeps one side`,
            },
          }
        : {}),
      counts: {
        facts: r.facts,
        conflicts: r.conflicts,
        superseded: r.applied.length,
        contested: r.contested.length,
        scheduled: r.scheduled.length,
      },
      summary: {
        report: r.report,
        branch: r.branch,
        contested: r.contested.slice(0, 20).map((c) => ({ id: c.id, a: c.a, b: c.b, why: c.why })),
      },
    };
  });
  const r: ConsolidateResult = { ...outcome.result, runId: outcome.runId };
  return {
    status: outcome.status,
    counts: outcome.counts,
    data: r,
    text: describe(r),
  };
}

export function describe(r: ConsolidateResult): string {
  const verb = r.dryRun ? "would supersede" : "superseded";
  const where = r.branch ? ` on review branch ${r.branch} (kb accept ${r.branch})` : "";
  const lines = [
    `consolidate${r.dryRun ? " (dry run)" : ` (run ${r.runId})`}: ${r.conflicts} conflicting pair(s) in ${r.facts} facts; ${verb} ${r.applied.length}${where}; ${r.contested.length} for a person; ${r.scheduled.length} changing on a date; report ${r.report}`,
  ];
  for (const c of r.contested)
    lines.push(
      `  #${c.id}: “${c.a.text}” (${c.a.path}:${c.a.line}) vs “${c.b.text}” (${c.b.path}:${c.b.line}) — kb settle ${c.id} --keep FILE:LINE`,
    );
  for (const s of r.skipped) lines.push(`  left unchanged: ${s.path}: ${s.reason}`);
  return lines.join("\n");
}
