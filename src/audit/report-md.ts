import { posix } from "node:path";
import { renderAutonomyTable } from "../autonomy/report.js";
import { unansweredLine } from "../search/record.js";
import type { AuditReport } from "./build.js";
import type { LaunchResult } from "./launch.js";
import { launchChecklist } from "./launch-checklist.js";
import { type ReadsReport, staleReadLine, UNREAD_DAYS } from "./reads.js";
import type { FileAudit } from "./types.js";

/** The markdown report: summary first, then only the failures, grouped by owner then folder. Usable as a PR or issue body. */
export function auditMarkdown(report: AuditReport, launch?: LaunchResult): string {
  const s = report.summary;
  const out: string[] = [];
  out.push(`# Brain audit, ${report.asOf}`, "");
  out.push(
    `**${pct(s.reviewedPct)} of ${s.files} files reviewed within their interval** (target ${pct(s.target)}${s.meetsTarget ? ", met" : ", not met"}) · ${plural(s.errors, "error")} · ${plural(s.warnings, "warning")}`,
    "",
  );
  if (launch) out.push(...launchChecklist(launch), "");
  const reasons = Object.entries(s.byReason);
  if (reasons.length > 0) {
    out.push("| reason | files |", "|---|---:|", ...reasons.map(([r, n]) => `| ${r} | ${n} |`), "");
  }
  out.push(
    `Decay: ${pct(s.cohorts.over30)} of files not reviewed for over 30 days, ${pct(s.cohorts.over90)} for over 90 days${s.cohorts.neverReviewed ? ` (${s.cohorts.neverReviewed} never reviewed)` : ""}.`,
  );
  if (report.trend.length > 0) {
    const points = [
      ...report.trend.map((t) => `${t.asOf} ${pct(t.reviewedPct)}`),
      `${report.asOf} ${pct(s.reviewedPct)}`,
    ];
    out.push(`Trend (reviewed within interval): ${points.join(" → ")}.`);
  }
  out.push("");
  out.push(...staleReadSection(report.reads));
  const failing = report.files.filter((f) => f.reasons.length > 0);
  if (failing.length > 0) {
    out.push("## Files to act on, by owner", "");
    for (const [owner, files] of groupBy(failing, (f) => f.owner ?? "(no owner)")) {
      out.push(`### ${owner} (${files.length})`, "");
      for (const [folder, inFolder] of groupBy(files, (f) => posix.dirname(f.path))) {
        out.push(`**${folder === "." ? "(top level)" : `${folder}/`}**`, "");
        for (const f of inFolder) out.push(...fileLines(f));
        out.push("");
      }
    }
  } else out.push("Nothing to act on.", "");
  if (report.contested.length > 0) {
    out.push(
      "## Contradictions for a person",
      "",
      "No evidence says which value is current, so kb did not choose. Keep the current side with `kb settle ID --keep FILE:LINE`.",
      "",
    );
    for (const c of report.contested)
      out.push(
        `- [ ] **#${c.id}** “${c.a.text}” (\`${c.a.path}:${c.a.line}\`, ${c.owners.a ?? "no owner"}) vs “${c.b.text}” (\`${c.b.path}:${c.b.line}\`, ${c.owners.b ?? "no owner"})`,
      );
    out.push("");
  }
  if (report.unanswered.length > 0) {
    out.push(
      "## Questions the brain did not answer",
      "",
      "Asked through `kb search`, `kb mcp` or an OpenClaw agent's memory search in the last 90 days; no fact answered them. Add the fact, or the word people use (an `aliases:` entry or a glossary line).",
      "",
      ...report.unanswered.map((u) => `- ${unansweredLine(u)}`),
      "",
    );
  }
  const autonomy = report.autonomy;
  if (autonomy.folders.some((f) => f.reviewed + f.pending + f.applied > 0 || f.demotion)) {
    out.push(
      "## Autonomy",
      "",
      "What became of kb's proposals (review mode) and applied changes (apply mode), per folder; `kb autonomy` explains each recommendation. kb never changes `mine.autonomy` itself.",
      "",
      ...renderAutonomyTable(autonomy),
      "",
    );
  }
  out.push(...unreadSection(report.reads));
  if (s.unowned.length > 0) out.push("## Unowned files", "", ...s.unowned.map((p) => `- \`${p}\``), "");
  if (s.archiveCandidates.length > 0) {
    out.push(
      "## Archive candidates",
      "",
      "Overdue and unchanged for two quarters:",
      "",
      ...s.archiveCandidates.map((p) => `- \`${p}\``),
      "",
    );
  }
  return `${out.join("\n").trimEnd()}\n`;
}

/** Stale files agents still read, most read first: the reviews to do before any other. */
function staleReadSection(reads: ReadsReport): string[] {
  if (reads.staleRead.length === 0) return [];
  return [
    "## Stale files agents read",
    "",
    "Expired or marked for review, and still returned to agents this month (kb search, kb mcp, OpenClaw memory tools). Review these first.",
    "",
    ...reads.staleRead.map((r) => `- [ ] ${staleReadLine(r).replace(/^([^:]+):/, "`$1`:")}`),
    "",
  ];
}

/** Files no agent read in 90 days: archive candidates, or facts stated in words no one asks in. */
function unreadSection(reads: ReadsReport): string[] {
  if (!reads.unread || reads.unread.length === 0) return [];
  return [
    `## Never read in ${UNREAD_DAYS} days`,
    "",
    `No search, file read or memory tool returned these in the last ${UNREAD_DAYS} days (reads kept since ${reads.since?.slice(0, 10)}). Archive them, or add the words people ask in (\`aliases:\`).`,
    "",
    ...reads.unread.map((p) => `- \`${p}\``),
    "",
  ];
}

function fileLines(f: FileAudit): string[] {
  const due = f.due ? `, due ${f.due}` : "";
  const lines = [`- [ ] \`${f.path}\` — ${f.status}${due}: ${f.reasons.join(", ")}`];
  for (const d of f.details)
    lines.push(
      `  - line ${d.line} ${d.severity === "error" ? "**" + d.code + "**" : d.code}: ${escapeMd(d.text)}`,
    );
  return lines;
}

function escapeMd(text: string): string {
  return text.replace(/([<>[\]|])/g, "\\$1");
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export function pct(n: number): string {
  return `${Math.round(n * 100)}%`;
}

export function groupBy<T>(items: T[], key: (item: T) => string): [string, T[]][] {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    map.set(k, [...(map.get(k) ?? []), item]);
  }
  return [...map.entries()].sort(([a], [b]) => a.localeCompare(b));
}
