import { auditJob } from "../../../jobs/audit.js";
import { launchChecklist } from "../../audit/launch-checklist.js";
import { auditJson } from "../../audit/report-json.js";
import type { Context } from "../../runtime/context.js";
import type { CommandInput, CommandOutput } from "../types.js";

export async function run(ctx: Context, input: CommandInput): Promise<CommandOutput> {
  const o = input.opts;
  const { run } = await auditJob(ctx, {
    launch: o.launch,
    about: o.about,
    supersedes: o.supersedes,
    since: o.since,
    format: o.format,
    failOn: o.failOn,
    dryRun: o.dryRun === true,
  });
  const s = run.report.summary;
  const lines = [
    `${Math.round(s.reviewedPct * 100)}% of ${s.files} files reviewed within their interval (target ${Math.round(s.target * 100)}%) · ${s.errors} errors · ${s.warnings} warnings · as of ${run.report.asOf}`,
  ];
  const reasons = Object.entries(s.byReason).map(([r, n]) => `${r} ${n}`);
  if (reasons.length) lines.push(`files by reason: ${reasons.join(", ")}`);
  lines.push(
    `decay: ${pct(s.cohorts.over30)} not reviewed for 30+ days, ${pct(s.cohorts.over90)} for 90+ days`,
  );
  if (run.launch) lines.push("", ...launchChecklist(run.launch));
  else {
    const failing = run.report.files.filter((f) => f.details.some((d) => d.severity === "error"));
    if (failing.length) lines.push("", `${failing.length} files with errors:`);
    for (const f of failing)
      lines.push(`  ${f.path}  ${f.status}  ${f.reasons.join(" ")}  (${f.owner ?? "no owner"})`);
  }
  if (run.reportPaths.length) lines.push("", `reports: ${run.reportPaths.join(", ")}`);
  else if (o.dryRun) lines.push("", "dry run: no file marked, no report written");
  return { data: auditJson(run.report, run.launch), text: lines.join("\n"), exitCode: run.exitCode };
}

function pct(n: number): string {
  return `${Math.round(n * 100)}%`;
}
