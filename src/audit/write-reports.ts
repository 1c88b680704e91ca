import { join } from "node:path";
import { UsageError } from "../errors.js";
import { writeAtomic } from "../runtime/atomic.js";
import type { AuditReport } from "./build.js";
import type { LaunchResult } from "./launch.js";
import { auditHtml } from "./report-html.js";
import { auditJson } from "./report-json.js";
import { auditMarkdown } from "./report-md.js";

export type ReportFormat = "md" | "json" | "html";

/** Write the dated reports (`audit-YYYY-MM-DD.*`, or `launch-<id>-YYYY-MM-DD.*`); returns their paths. */
export async function writeReports(
  dir: string,
  report: AuditReport,
  formats: ReportFormat[],
  launch?: LaunchResult,
): Promise<string[]> {
  const base = launch ? `launch-${launch.id}-${report.asOf}` : `audit-${report.asOf}`;
  const written: string[] = [];
  for (const format of formats) {
    const path = join(dir, `${base}.${format}`);
    const body =
      format === "md"
        ? auditMarkdown(report, launch)
        : format === "json"
          ? `${JSON.stringify(auditJson(report, launch), null, 2)}\n`
          : auditHtml(report, launch);
    await writeAtomic(path, body);
    written.push(path);
  }
  return written;
}

export function parseFormats(value: unknown, fallback: ReportFormat[]): ReportFormat[] {
  if (value === undefined || value === null || value === "") return fallback;
  const parts = String(value)
    .split(",")
    .map((p) => p.trim().toLowerCase())
    .filter(Boolean);
  for (const p of parts) {
    if (p !== "md" && p !== "json" && p !== "html") {
      throw new UsageError(
        "BAD_FORMAT",
        `--format "${p}" is not a report format; expected md, json or html (comma-separated)`,
      );
    }
  }
  return parts as ReportFormat[];
}
