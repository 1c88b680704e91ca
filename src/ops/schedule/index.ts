import { UsageError } from "../../errors.js";
import { count } from "../../runtime/plural.js";
import { crontabInstall, renderCrontab } from "./crontab.js";
import type { HostEnv } from "./host.js";
import { launchdInstall, renderLaunchd } from "./launchd.js";
import { type ScheduleEntry, type SchedulePlan, type SkippedJob, skippedLines } from "./plan.js";
import { mcpLaunchd, mcpSystemd } from "./service.js";
import { renderSystemd, systemdInstall, type UnitFile } from "./systemd.js";

export const FORMATS = ["cron", "systemd", "launchd"] as const;
export type ScheduleFormat = (typeof FORMATS)[number];

/** What `kb schedule` prints: the files to install, how to install them, and what they run. */
export interface RenderedSchedule {
  format: ScheduleFormat;
  host: HostEnv;
  entries: ScheduleEntry[];
  /** Jobs with no entry on this host, and why. */
  skipped: SkippedJob[];
  /** For cron, one file (`kb.crontab`, a block to add to the user's crontab). */
  files: UnitFile[];
  install: string[];
}

export function parseFormat(value: unknown): ScheduleFormat {
  const format = value ?? "cron";
  if (typeof format === "string" && (FORMATS as readonly string[]).includes(format))
    return format as ScheduleFormat;
  throw new UsageError(
    "BAD_FORMAT",
    `--format "${String(format)}" is not valid; expected one of: ${FORMATS.join(", ")}`,
  );
}

/** Render the entries for one scheduler. Pure: same entries and host, same bytes. */
export function renderSchedule(
  format: ScheduleFormat,
  plan: SchedulePlan,
  host: HostEnv,
  options: { mcp?: boolean } = {},
): RenderedSchedule {
  const { entries, skipped } = plan;
  if (format === "cron") {
    return {
      format,
      host,
      entries,
      skipped,
      files: [{ path: "kb.crontab", content: renderCrontab(entries, host, skipped) }],
      install: crontabInstall(),
    };
  }
  const files = format === "systemd" ? renderSystemd(entries, host) : renderLaunchd(entries, host);
  const install = format === "systemd" ? systemdInstall(files) : launchdInstall(host);
  // The team's MCP server is a service, not a timer: only systemd and launchd keep one running.
  if (options.mcp) {
    files.push(format === "systemd" ? mcpSystemd(host) : mcpLaunchd(host));
    if (format === "systemd") install.push("sudo systemctl enable --now kb-mcp.service   # kb mcp --http");
  }
  return { format, host, entries, skipped, files, install };
}

/**
 * The text for people: a crontab block as is (ready for `crontab`); unit files and plists each
 * under a `==> path <==` line, after the install steps.
 */
export function scheduleText(rendered: RenderedSchedule): string {
  if (rendered.format === "cron") return rendered.files[0]!.content;
  const parts = [
    `# kb ${rendered.format} schedule for host ${rendered.host.host}: ${count(rendered.entries.length, "entry", "entries")}.`,
    ...skippedLines(rendered.skipped),
    "# Install:",
    ...rendered.install.map((line) => `#   ${line}`),
    ...rendered.files.flatMap((f) => ["", `==> ${f.path} <==`, f.content.trimEnd()]),
  ];
  return `${parts.join("\n")}\n`;
}
