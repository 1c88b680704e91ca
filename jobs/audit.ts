import { type AuditRun, executeAudit, type FailOn } from "../src/audit/run.js";
import { parseFormats } from "../src/audit/write-reports.js";
import type { Context } from "../src/runtime/context.js";
import { runJob } from "../src/runtime/runner.js";
import type { JobResult } from "./types.js";

/**
 * The quarterly audit (and, with `launch`, the launch gate): every file's review status, reports
 * in the reports folder, a snapshot for the trend. Options: `launch`, `about`, `supersedes`,
 * `since`, `format`, `failOn`, `dryRun`.
 */
export async function auditJob(
  ctx: Context,
  options: Record<string, unknown>,
): Promise<{ result: JobResult; run: AuditRun }> {
  const dryRun = options.dryRun === true;
  const launchId = typeof options.launch === "string" ? options.launch : undefined;
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : typeof v === "string" ? [v] : []);
  let run: AuditRun | undefined;
  const outcome = await runJob(ctx, { job: "audit", dryRun }, async () => {
    run = await executeAudit(ctx, {
      launch: launchId
        ? {
            id: launchId,
            about: list(options.about),
            supersedes: list(options.supersedes),
            ...(typeof options.since === "string" ? { since: options.since } : {}),
          }
        : undefined,
      formats: parseFormats(options.format, ctx.config.audit.formats),
      failOn: (options.failOn as FailOn | undefined) ?? "error",
      dryRun,
    });
    const s = run.report.summary;
    return {
      status: run.launch && !run.launch.passed ? ("needs-human" as const) : ("ok" as const),
      counts: { files: s.files, reviewed: s.reviewedWithinInterval, errors: s.errors, warnings: s.warnings },
      summary: {
        reviewedPct: Math.round(s.reviewedPct * 1000) / 1000,
        reports: run.reportPaths,
        launch: run.launch?.id,
      },
    };
  });
  const r = run!;
  const s = r.report.summary;
  const text = `audit ${r.report.asOf}: ${Math.round(s.reviewedPct * 100)}% of ${s.files} files reviewed within interval (target ${Math.round(s.target * 100)}%), ${s.errors} errors, ${s.warnings} warnings`;
  return {
    run: r,
    result: {
      status: outcome.status,
      counts: outcome.counts,
      summary: outcome.summary,
      text,
      data: r.report.summary,
    },
  };
}

export async function run(ctx: Context, options: Record<string, unknown>): Promise<JobResult> {
  return (await auditJob(ctx, options)).result;
}
