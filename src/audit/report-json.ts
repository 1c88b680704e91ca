import type { AuditReport } from "./build.js";
import type { LaunchResult } from "./launch.js";

/**
 * The stable JSON schema (`--json` and the .json report):
 * `{ asOf, files, summary, findings: [{ path, owner, status, due, reasons, details: [{ code, line, text }] }] }`.
 * New fields may be added; existing ones keep their names and meaning.
 */
export function auditJson(report: AuditReport, launch?: LaunchResult) {
  return {
    asOf: report.asOf,
    files: report.summary.files,
    summary: {
      ...report.summary,
      reviewedPct: round(report.summary.reviewedPct),
      cohorts: {
        ...report.summary.cohorts,
        over30: round(report.summary.cohorts.over30),
        over90: round(report.summary.cohorts.over90),
      },
      trend: [
        ...report.trend.map((t) => ({ ...t, reviewedPct: round(t.reviewedPct) })),
        { asOf: report.asOf, files: report.summary.files, reviewedPct: round(report.summary.reviewedPct) },
      ],
    },
    ...(launch ? { launch: launchJson(launch) } : {}),
    findings: report.files
      .filter((f) => f.reasons.length > 0)
      .map((f) => ({
        path: f.path,
        owner: f.owner,
        status: f.status,
        due: f.due,
        reasons: f.reasons,
        ...(f.lastEdited ? { lastEdited: f.lastEdited } : {}),
        details: f.details.map((d) => ({ code: d.code, line: d.line, text: d.text, severity: d.severity })),
      })),
    contested: report.contested.map((c) => ({
      id: c.id,
      attribute: c.attribute,
      a: c.a,
      b: c.b,
      owners: c.owners,
      why: c.why,
    })),
    unanswered: report.unanswered,
    reads: report.reads,
    autonomy: report.autonomy.folders.map((f) => ({
      folder: f.folder,
      mode: f.mode,
      configured: f.configured,
      demotion: f.demotion,
      daysInMode: f.daysInMode,
      reviewed: f.reviewed,
      accepted: f.accepted,
      edited: f.edited,
      rejected: f.rejected,
      applied: f.applied,
      reverted: f.reverted,
      recommendation: f.recommendation,
    })),
  };
}

function launchJson(launch: LaunchResult) {
  return {
    id: launch.id,
    since: launch.since,
    about: launch.about,
    supersedes: launch.supersedes,
    passed: launch.passed,
    affected: launch.affected.map((a) => ({
      path: a.path,
      owner: a.owner,
      why: a.why,
      reviewed: a.reviewed,
      marked: a.marked,
    })),
    blockers: launch.blockers,
  };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
