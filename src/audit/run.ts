import { ExitCode, UsageError } from "../errors.js";
import type { Context } from "../runtime/context.js";
import { daysBefore } from "../search/reads.js";
import { pruneRetrievals } from "../search/record.js";
import { type AuditReport, buildAudit } from "./build.js";
import {
  type LaunchResult,
  type LaunchSpec,
  launchBlockers,
  markAffected,
  recordLaunch,
  resolveLaunch,
  selectAffected,
} from "./launch.js";
import { saveSnapshot } from "./snapshots.js";
import { type ReportFormat, writeReports } from "./write-reports.js";

export type FailOn = "error" | "warning" | "never";

export interface AuditRunOptions {
  launch?: Partial<LaunchSpec> & { id: string };
  formats: ReportFormat[];
  failOn: FailOn;
  dryRun: boolean;
}

export interface AuditRun {
  report: AuditReport;
  launch?: LaunchResult;
  reportPaths: string[];
  exitCode: number;
}

/**
 * One audit: plan and (unless dry) apply the launch marks, audit every file, store the snapshot,
 * write the reports. The exit code follows `--fail-on`; a launch gate that has not passed exits 3.
 */
export async function executeAudit(ctx: Context, options: AuditRunOptions): Promise<AuditRun> {
  if (!["error", "warning", "never"].includes(options.failOn)) {
    throw new UsageError(
      "BAD_FAIL_ON",
      `--fail-on "${options.failOn}" is not valid; expected error, warning or never`,
    );
  }
  let launch: LaunchResult | undefined;
  let report: AuditReport;
  if (options.launch) {
    const spec = resolveLaunch(ctx, options.launch);
    const affected = selectAffected(ctx, spec);
    await markAffected(ctx, spec, affected, options.dryRun);
    if (!options.dryRun) recordLaunch(ctx, spec);
    report = await buildAudit(ctx, { superseded: spec.supersedes });
    if (options.dryRun)
      markInMemory(
        report,
        affected.filter((a) => a.marked).map((a) => a.path),
        spec.id,
      );
    const blockers = launchBlockers(report.files, spec);
    launch = {
      ...spec,
      affected,
      blockers,
      passed: affected.every((a) => a.reviewed) && blockers.length === 0,
    };
  } else {
    report = await buildAudit(ctx);
  }
  let reportPaths: string[] = [];
  if (!options.dryRun) {
    saveSnapshot(ctx.db(), report.brain, report.asOf, report.summary);
    pruneRetrievals(ctx.db(), report.brain, daysBefore(ctx.clock.now(), ctx.config.search.keepDays));
    reportPaths = await writeReports(ctx.config.reports, report, options.formats, launch);
  }
  return { report, launch, reportPaths, exitCode: exitCodeOf(report, launch, options.failOn) };
}

function exitCodeOf(report: AuditReport, launch: LaunchResult | undefined, failOn: FailOn): number {
  if (launch) return launch.passed ? ExitCode.ok : ExitCode.needsHuman;
  if (failOn === "never") return ExitCode.ok;
  const failing =
    failOn === "error" ? report.summary.errors > 0 : report.summary.errors + report.summary.warnings > 0;
  return failing ? ExitCode.failure : ExitCode.ok;
}

/** In a dry run the files are not written; show them in the report as they would be. */
function markInMemory(report: AuditReport, paths: string[], id: string): void {
  const reason = `LAUNCH:${id}` as const;
  for (const f of report.files) {
    if (!paths.includes(f.path)) continue;
    f.details.push({
      code: reason,
      line: 1,
      text: `would be marked for review by launch ${id}`,
      severity: "error",
    });
    if (!f.reasons.includes(reason)) f.reasons.unshift(reason);
    if (f.status === "ok" || f.status === "due-soon" || f.status === "evergreen") f.status = "needs-review";
  }
}
