import type { Context } from "../runtime/context.js";
import { activeDemotions, lastPromotion, modeSince } from "./demotions.js";
import { configuredMode } from "./folders.js";
import { daysBetween, type FolderRecord, type Outcome, type Recommendation, recommend } from "./recommend.js";
import { allRows } from "./records.js";
import { effectiveMode, knownFolders } from "./refresh.js";

export interface AutonomyReport {
  asOf: string;
  schedule: Context["config"]["mine"]["promotion"];
  lastPromotion: { folder: string; at: string } | null;
  folders: (FolderRecord & { recommendation: Recommendation })[];
}

/** Per folder: its mode and how long, what became of kb's proposals and applied changes, and what kb recommends. Reads only. */
export function autonomyReport(ctx: Context): AutonomyReport {
  const db = ctx.db();
  const now = ctx.clock.now();
  const cfg = ctx.config.mine;
  const demotions = activeDemotions(db);
  const rows = allRows(db);
  const records: FolderRecord[] = knownFolders(ctx).map((folder) => {
    const mine = rows.filter((r) => r.folder === folder);
    const count = (o: Outcome) => mine.filter((r) => r.outcome === o).length;
    const reviewed = mine
      .filter((r) => r.mode === "review" && r.outcome !== "pending")
      .sort((a, b) => (b.decided_at ?? "").localeCompare(a.decided_at ?? "") || b.record_id - a.record_id);
    const d = demotions.get(folder);
    const since = modeSince(db, folder)?.since ?? null;
    return {
      folder,
      mode: effectiveMode(ctx, folder, new Set(demotions.keys())),
      configured: configuredMode(folder, cfg.autonomy, cfg.mode),
      demotion: d ? { commit: d.commit, author: d.author, subject: d.subject, path: d.path, at: d.at } : null,
      daysInMode: since ? daysBetween(since, now) : 0,
      since,
      reviewed: reviewed.length,
      accepted: count("accepted"),
      edited: count("edited"),
      rejected: count("rejected"),
      pending: count("pending"),
      applied: mine.filter((r) => r.mode === "apply").length,
      reverted: count("reverted"),
      latest: reviewed.slice(0, cfg.promotion.cleanLast).map((r) => r.outcome),
    };
  });
  const last = lastPromotion(db);
  const advice = recommend(records, cfg.promotion, now, last);
  return {
    asOf: now.toISOString(),
    schedule: cfg.promotion,
    lastPromotion: last,
    folders: records.map((f) => ({ ...f, recommendation: advice.get(f.folder)! })),
  };
}

/** The table `kb autonomy` prints and the audit report carries (markdown). */
export function renderAutonomyTable(r: AutonomyReport): string[] {
  const lines = [
    "| folder | mode | days | reviewed | accepted | edited | rejected | applied | reverted | recommendation |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
  ];
  for (const f of r.folders) {
    const mode = f.demotion ? "review (demoted)" : f.mode;
    lines.push(
      `| ${f.folder} | ${mode} | ${f.daysInMode} | ${f.reviewed} | ${f.accepted} | ${f.edited} | ${f.rejected} | ${f.applied} | ${f.reverted} | ${f.recommendation.action}: ${f.recommendation.reason.replace(/\|/g, "\\|")} |`,
    );
  }
  return lines;
}
