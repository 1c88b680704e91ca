import { posix } from "node:path";
import { daysBetween } from "./dates.js";
import type { FileAudit } from "./types.js";

/** The quarterly numbers: share reviewed against the target, counts, cohorts, owners, lists. */
export interface AuditSummary {
  files: number;
  reviewedWithinInterval: number;
  reviewedPct: number;
  target: number;
  meetsTarget: boolean;
  errors: number;
  warnings: number;
  /** Files per reason code (a file counts once per code). */
  byReason: Record<string, number>;
  byStatus: Record<string, number>;
  byOwner: { owner: string; files: number; overdue: number; failing: number }[];
  /** Share of non-evergreen files last reviewed more than 30 / 90 days ago (never reviewed counts). */
  cohorts: { over30: number; over90: number; neverReviewed: number };
  /** Files by days since review: 0–30, 31–60, 61–90, 91–180, 181+, never. */
  ageHistogram: { label: string; count: number }[];
  unowned: string[];
  archiveCandidates: string[];
}

const BANDS: [string, number][] = [
  ["0–30 d", 30],
  ["31–60 d", 60],
  ["61–90 d", 90],
  ["91–180 d", 180],
  ["181+ d", Number.POSITIVE_INFINITY],
];

export function summarise(
  files: FileAudit[],
  options: { today: string; target: number; archiveAfterDays: number },
): AuditSummary {
  const within = files.filter(
    (f) =>
      f.status === "evergreen" ||
      ((f.status === "ok" || f.status === "due-soon" || f.status === "needs-review") && f.due !== null),
  );
  const byReason: Record<string, number> = {};
  const byStatus: Record<string, number> = {};
  const owners = new Map<string, { files: number; overdue: number; failing: number }>();
  let errors = 0;
  let warnings = 0;
  for (const f of files) {
    for (const r of f.reasons) byReason[r] = (byReason[r] ?? 0) + 1;
    byStatus[f.status] = (byStatus[f.status] ?? 0) + 1;
    for (const d of f.details) d.severity === "error" ? errors++ : warnings++;
    const key = f.owner ?? "(no owner)";
    const o = owners.get(key) ?? { files: 0, overdue: 0, failing: 0 };
    o.files++;
    if (f.status === "expired") o.overdue++;
    if (f.details.some((d) => d.severity === "error")) o.failing++;
    owners.set(key, o);
  }
  const aged = files.filter((f) => f.status !== "evergreen");
  const ages = aged.map((f) => (f.lastReviewed ? daysBetween(f.lastReviewed, options.today) : null));
  const share = (n: number) => (aged.length ? n / aged.length : 0);
  const ageHistogram = BANDS.map(([label]) => ({ label, count: 0 }));
  ageHistogram.push({ label: "never", count: 0 });
  for (const age of ages) {
    const band = age === null ? BANDS.length : BANDS.findIndex(([, max]) => age <= max);
    ageHistogram[band]!.count++;
  }
  const reviewedPct = files.length ? within.length / files.length : 1;
  return {
    files: files.length,
    reviewedWithinInterval: within.length,
    reviewedPct,
    target: options.target,
    meetsTarget: reviewedPct >= options.target,
    errors,
    warnings,
    byReason: sortedRecord(byReason),
    byStatus: sortedRecord(byStatus),
    byOwner: [...owners.entries()]
      .map(([owner, v]) => ({ owner, ...v }))
      .sort((a, b) => b.overdue - a.overdue || b.failing - a.failing || a.owner.localeCompare(b.owner)),
    cohorts: {
      over30: share(ages.filter((a) => a === null || a > 30).length),
      over90: share(ages.filter((a) => a === null || a > 90).length),
      neverReviewed: ages.filter((a) => a === null).length,
    },
    ageHistogram,
    unowned: files.filter((f) => !f.owner).map((f) => f.path),
    archiveCandidates: files.filter((f) => isArchiveCandidate(f, options)).map((f) => f.path),
  };
}

/** Overdue for longer than `archiveAfterDays` and not edited in that time either. */
function isArchiveCandidate(f: FileAudit, o: { today: string; archiveAfterDays: number }): boolean {
  if (f.status !== "expired" || !f.due || posix.basename(f.path) === "index.md") return false;
  if (daysBetween(f.due, o.today) < o.archiveAfterDays) return false;
  return !f.lastEdited || daysBetween(f.lastEdited, o.today) >= o.archiveAfterDays;
}

function sortedRecord(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
