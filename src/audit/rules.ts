import picomatch from "picomatch";
import { addInterval, daysBetween, type Interval, parseInterval } from "./dates.js";
import { entityPattern, mentions } from "./entities.js";
import type { ReviewMeta } from "./meta.js";
import { checkLink, type LinkTargets } from "./resolve-links.js";
import { isPastPhrase } from "./temporal.js";
import type { TextAnalysis } from "./text-analysis.js";
import { type Detail, type FileAudit, type FileStatus, type ReasonCode, severityOf } from "./types.js";

/** Everything the per-file rules need besides the file itself. Pure data: no I/O. */
export interface RuleContext {
  today: string;
  dueSoonDays: number;
  /** The review interval for a path that sets none (config `audit.rules`, then `audit.reviewEvery`). */
  defaultInterval(path: string): Interval;
  links: LinkTargets;
  suggestOwner(path: string): string | null;
  /** Entities a launch supersedes: temporal wording about them is an error in every file. */
  superseded: string[];
}

export function defaultIntervals(
  reviewEvery: string,
  rules: { paths: string[]; reviewEvery: string }[],
): (path: string) => Interval {
  const fallback = parseInterval(reviewEvery) ?? { days: 90, months: 0, text: "90d" };
  const compiled = rules.map((r) => ({
    match: picomatch(r.paths),
    every: parseInterval(r.reviewEvery) ?? fallback,
  }));
  return (path) => compiled.find((r) => r.match(path))?.every ?? fallback;
}

export function auditFile(path: string, meta: ReviewMeta, text: TextAnalysis, ctx: RuleContext): FileAudit {
  const details: Detail[] = [];
  const lineOf = (key: string | undefined) => (key ? (text.keyLines[key] ?? 1) : 1);
  const add = (code: ReasonCode, line: number, message: string, severity = severityOf(code)) =>
    details.push({ code, line, text: message, severity });

  for (const problem of meta.problems) add("INVALID_META", lineOf(problem.key), problem.message);
  if (meta.lastReviewed && meta.lastReviewed > ctx.today) {
    add(
      "INVALID_META",
      lineOf(meta.keys.lastReviewed),
      `${meta.keys.lastReviewed}: ${meta.lastReviewed} is in the future`,
    );
  }

  const interval = meta.reviewEvery ?? ctx.defaultInterval(path);
  let due: string | null = null;
  let dueKey = meta.keys.reviewBy;
  if (meta.reviewBy) due = meta.reviewBy;
  else if (meta.lastReviewed) {
    due = addInterval(meta.lastReviewed, interval);
    dueKey = meta.keys.lastReviewed;
  }
  if (!meta.evergreen) {
    const anyDate = meta.keys.lastReviewed || meta.keys.reviewBy;
    if (!anyDate) {
      add(
        "INVALID_META",
        1,
        "no last_reviewed or review_by date; a file never reviewed is not fresh (kb verify stamps one)",
      );
    } else if (due && due < ctx.today) {
      add("EXPIRED", lineOf(dueKey), `review was due ${due} (${daysBetween(due, ctx.today)} days ago)`);
    } else if (due && daysBetween(ctx.today, due) <= ctx.dueSoonDays) {
      add("DUE_SOON", lineOf(dueKey), `review due ${due} (in ${daysBetween(ctx.today, due)} days)`);
    }
  }

  if (!meta.owner) {
    const suggestion = ctx.suggestOwner(path);
    add(
      "NO_OWNER",
      lineOf(meta.keys.owner),
      `no owner${suggestion ? `; suggest ${suggestion} (usual owner of this folder)` : ""}`,
    );
  }

  const aboutPattern = entityPattern(meta.about);
  const supersededPattern = entityPattern(ctx.superseded);
  for (const hit of text.temporal) {
    if (hit.until !== undefined && !isPastPhrase(hit, ctx.today)) continue;
    const namesEntity = mentions(hit.sentence, aboutPattern) || mentions(hit.sentence, supersededPattern);
    const what = hit.until ? `"${hit.match}" is in the past` : `"${hit.match}"`;
    add("TEMPORAL_WORD", hit.line, `${what}: ${hit.sentence}`, namesEntity ? "error" : "warning");
  }

  for (const link of text.links) {
    const problem = checkLink(path, link, ctx.links);
    if (problem) add("BROKEN_LINK", link.line, `${link.raw}: ${problem}`);
  }

  for (const reason of meta.reviewReasons) {
    if (reason.startsWith("LAUNCH:")) {
      add(
        reason as ReasonCode,
        lineOf(meta.keys.reviewReasons),
        `marked for review by launch ${reason.slice(7)}; run kb verify after checking`,
      );
    }
  }

  details.sort((a, b) => a.line - b.line || a.code.localeCompare(b.code));
  return {
    path,
    owner: meta.owner,
    status: statusOf(details, meta),
    due,
    lastReviewed: meta.lastReviewed,
    reasons: reasonsOf(details),
    details,
  };
}

function statusOf(details: Detail[], meta: ReviewMeta): FileStatus {
  const has = (code: string) =>
    details.some((d) => d.code === code || (code === "LAUNCH" && d.code.startsWith("LAUNCH:")));
  if (has("INVALID_META")) return "invalid";
  if (has("EXPIRED")) return "expired";
  if (has("LAUNCH") || meta.status === "needs-review") return "needs-review";
  if (has("DUE_SOON")) return "due-soon";
  return meta.evergreen ? "evergreen" : "ok";
}

function reasonsOf(details: Detail[]): ReasonCode[] {
  const errors = details.filter((d) => d.severity === "error").map((d) => d.code);
  const warnings = details.filter((d) => d.severity === "warning").map((d) => d.code);
  return [...new Set([...errors, ...warnings])];
}
