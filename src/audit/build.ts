import { type AutonomyReport, autonomyReport } from "../autonomy/report.js";
import { scanFromContext } from "../brain/index.js";
import { type ContestedItem, openContested } from "../consolidate/records.js";
import type { Context } from "../runtime/context.js";
import { type Unanswered, unansweredSearches } from "../search/record.js";
import { lastEdits } from "./git-age.js";
import { readReviewMeta } from "./meta.js";
import { usualOwners } from "./owners.js";
import { type ReadsReport, readsReport } from "./reads.js";
import { buildLinkTargets } from "./resolve-links.js";
import { auditFile, defaultIntervals } from "./rules.js";
import { loadTrend, type SnapshotPoint } from "./snapshots.js";
import { type AuditSummary, summarise } from "./summary.js";
import { analyseDocs } from "./text-analysis.js";
import type { FileAudit } from "./types.js";

export interface AuditReport {
  asOf: string;
  brain: string;
  files: FileAudit[];
  summary: AuditSummary;
  /** Earlier snapshots, oldest first (the current audit is not among them). */
  trend: SnapshotPoint[];
  /** Contradictions consolidation could not decide, with each side's file owner (`kb settle`). */
  contested: (ContestedItem & { owners: { a: string | null; b: string | null } })[];
  /** Questions asked through kb search and kb mcp in the last 90 days that no fact answered, most asked first. */
  unanswered: Unanswered[];
  /** What agents read: the stale files they read most, and the files no one read in 90 days. */
  reads: ReadsReport;
  /** Per folder: what became of kb's proposals and applied changes, and the promotion advice. */
  autonomy: AutonomyReport;
  stats: { scanned: number; textRead: number; textCached: number; ms: number };
}

/** How far back the audit looks for questions no fact answered: one quarter, the audit's own rhythm. */
export const UNANSWERED_DAYS = 90;

export interface BuildOptions {
  /** Entities superseded by a launch: temporal wording about them is an error everywhere. */
  superseded?: string[];
}

/** Audit every file of the brain (archive excluded). Reads; never writes brain files. */
export async function buildAudit(ctx: Context, options: BuildOptions = {}): Promise<AuditReport> {
  const started = performance.now();
  const config = ctx.config.audit;
  const today = ctx.clock.today();
  const scan = scanFromContext(ctx);
  const text = analyseDocs(scan.brain, scan.docs, ctx.db());
  const metas = new Map(scan.docs.map((d) => [d.path, readReviewMeta(d.frontmatter?.data ?? {})]));
  const suggestOwner = usualOwners(scan.docs.map((d) => ({ path: d.path, owner: metas.get(d.path)!.owner })));
  const rules = {
    today,
    dueSoonDays: config.dueSoonDays,
    defaultInterval: defaultIntervals(config.reviewEvery, config.rules),
    links: buildLinkTargets(
      scan.docs.map((d) => ({ path: d.path, headings: d.headings.map((h) => h.text) })),
      scan.assets,
    ),
    suggestOwner,
    superseded: options.superseded ?? [],
  };
  const files: FileAudit[] = scan.docs.map((doc) =>
    auditFile(doc.path, metas.get(doc.path)!, text.byPath.get(doc.path)!, rules),
  );
  for (const error of scan.errors) {
    if (error.code === "WORLD_WRITABLE" || error.code === "SYMLINK") continue;
    files.push({
      path: error.path,
      owner: null,
      status: "invalid",
      due: null,
      lastReviewed: null,
      reasons: ["INVALID_META"],
      details: [
        {
          code: "INVALID_META",
          line: error.line ?? 1,
          text: `${error.code}: ${error.message}`,
          severity: "error",
        },
      ],
    });
  }
  files.sort((a, b) => a.path.localeCompare(b.path));
  if (config.gitHistory) {
    const edits = await lastEdits(scan.brain, { bulkFiles: config.bulkCommitFiles });
    for (const f of files) {
      const edited = edits.get(f.path);
      if (edited) f.lastEdited = edited;
    }
  }
  const summary = summarise(files, {
    today,
    target: config.target,
    archiveAfterDays: config.archiveAfterDays,
  });
  return {
    asOf: today,
    brain: scan.brain,
    files,
    summary,
    trend: loadTrend(ctx.db(), scan.brain, today),
    contested: openContested(ctx.db(), scan.brain).map((c) => ({
      ...c,
      owners: { a: metas.get(c.a.path)?.owner ?? null, b: metas.get(c.b.path)?.owner ?? null },
    })),
    unanswered: unansweredSearches(
      ctx.db(),
      scan.brain,
      new Date(ctx.clock.now().getTime() - UNANSWERED_DAYS * 86_400_000).toISOString(),
      20,
    ),
    reads: readsReport(ctx.db(), {
      brain: scan.brain,
      now: ctx.clock.now(),
      files: files.map((f) => ({
        path: f.path,
        owner: f.owner,
        stale: f.status === "expired" || f.status === "needs-review" || f.status === "invalid",
        due: f.due,
      })),
      recording: ctx.config.search.record,
    }),
    autonomy: autonomyReport(ctx),
    stats: {
      scanned: scan.docs.length,
      textRead: text.read,
      textCached: text.cached,
      ms: Math.round(performance.now() - started),
    },
  };
}
