import type { AuditReport } from "./build.js";
import type { LaunchResult } from "./launch.js";

export function auditHtml(report: AuditReport, _launch?: LaunchResult): string {
  return `<!doctype html><html><body><h1>Brain audit ${report.asOf}</h1></body></html>\n`;
}
