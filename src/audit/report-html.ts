import { posix } from "node:path";
import type { AuditReport } from "./build.js";
import { barChart, esc, histogram, trendChart } from "./charts.js";
import type { LaunchResult } from "./launch.js";
import { type StaleRead, staleReadLine, UNREAD_DAYS } from "./reads.js";
import { groupBy, pct } from "./report-md.js";
import type { FileAudit } from "./types.js";

/** A self-contained HTML page: no scripts, no network; inline CSS and SVG charts. */
export function auditHtml(report: AuditReport, launch?: LaunchResult): string {
  const s = report.summary;
  const trend = [
    ...report.trend.map((t) => ({ label: t.asOf, value: t.reviewedPct })),
    { label: report.asOf, value: s.reviewedPct },
  ];
  const owners = s.byOwner.filter((o) => o.overdue > 0 || o.failing > 0).slice(0, 12);
  const ageColors = ["#16a34a", "#65a30d", "#ca8a04", "#ea580c", "#dc2626", "#6b7280"];
  const failing = report.files.filter((f) => f.reasons.length > 0);
  const title = launch ? `Launch ${launch.id}: brain review` : `Brain audit, ${report.asOf}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${CSS}</style></head>
<body><main>
<header><h1>${esc(title)}</h1><p class="sub">${esc(report.brain)} · as of ${report.asOf}</p></header>
<section class="tiles">
  ${tile(pct(s.reviewedPct), `reviewed within interval (target ${pct(s.target)})`, s.meetsTarget ? "good" : "bad")}
  ${tile(String(s.files), "files audited", "")}
  ${tile(String(s.byStatus.expired ?? 0), "overdue for review", (s.byStatus.expired ?? 0) > 0 ? "bad" : "good")}
  ${tile(pct(s.cohorts.over90), "not reviewed for 90+ days", s.cohorts.over90 > 0.3 ? "bad" : "")}
  ${tile(String(s.errors), `errors · ${s.warnings} warnings`, s.errors > 0 ? "bad" : "good")}
</section>
<p class="reasons">${Object.entries(s.byReason)
    .map(
      ([r, n]) =>
        `<span class="chip ${r.startsWith("LAUNCH") || ["EXPIRED", "INVALID_META", "BROKEN_LINK"].includes(r) ? "err" : "warn"}">${esc(r)} <b>${n}</b></span>`,
    )
    .join(" ")}</p>
<section class="charts">
  <figure><figcaption>Reviewed within interval, against the target</figcaption>${trendChart(trend, s.target)}</figure>
  <figure><figcaption>Overdue and failing files by owner</figcaption>${
    owners.length
      ? barChart(
          owners.map((o) => ({ label: o.owner, values: [o.overdue, Math.max(0, o.failing - o.overdue)] })),
          ["#dc2626", "#f59e0b"],
          ["overdue", "other errors"],
        )
      : "<p>No owner has overdue files.</p>"
  }</figure>
  <figure><figcaption>Days since last review (decay: ${pct(s.cohorts.over30)} over 30 d, ${pct(s.cohorts.over90)} over 90 d)</figcaption>${histogram(
    s.ageHistogram.map((b, i) => ({ label: b.label, count: b.count, color: ageColors[i] ?? "#6b7280" })),
  )}</figure>
</section>
${launch ? launchSection(launch) : ""}
${staleReads(report.reads.staleRead)}
<section><h2>Files to act on, by owner</h2>
${
  failing.length
    ? groupBy(failing, (f) => f.owner ?? "(no owner)")
        .map(([owner, files]) => ownerBlock(owner, files))
        .join("\n")
    : "<p>Nothing to act on.</p>"
}
</section>
${list("Unowned files", s.unowned)}
${list("Archive candidates (overdue and unchanged for two quarters)", s.archiveCandidates)}
${list(`Never read in ${UNREAD_DAYS} days`, report.reads.unread ?? [])}
<footer>kb audit · ${report.files.length} files · reasons: EXPIRED, DUE_SOON, INVALID_META, NO_OWNER, TEMPORAL_WORD, BROKEN_LINK, LAUNCH:&lt;id&gt;</footer>
</main></body></html>
`;
}

function tile(value: string, label: string, tone: string): string {
  return `<div class="tile ${tone}"><div class="v">${esc(value)}</div><div class="l">${esc(label)}</div></div>`;
}

function ownerBlock(owner: string, files: FileAudit[]): string {
  const rows = groupBy(files, (f) => posix.dirname(f.path))
    .map(
      ([folder, inFolder]) =>
        `<tr class="folder"><td colspan="4">${esc(folder === "." ? "(top level)" : `${folder}/`)}</td></tr>` +
        inFolder
          .map(
            (f) =>
              `<tr><td><code>${esc(posix.basename(f.path))}</code></td><td><span class="st ${f.status}">${esc(f.status)}</span></td><td>${f.due ?? "—"}</td><td>${f.details
                .map(
                  (d) =>
                    `<div class="d ${d.severity}"><b>${esc(d.code)}</b> <span class="ln">line ${d.line}</span> ${esc(d.text)}</div>`,
                )
                .join("")}</td></tr>`,
          )
          .join(""),
    )
    .join("");
  return `<details open><summary>${esc(owner)} <span class="n">${files.length}</span></summary><table><thead><tr><th>file</th><th>status</th><th>due</th><th>findings</th></tr></thead><tbody>${rows}</tbody></table></details>`;
}

function launchSection(launch: LaunchResult): string {
  const open = launch.affected.filter((a) => !a.reviewed).length;
  const items = launch.affected
    .map(
      (a) =>
        `<li class="${a.reviewed ? "done" : ""}"><span class="box">${a.reviewed ? "✓" : ""}</span><code>${esc(a.path)}</code> <span class="who">${esc(a.owner ?? "(no owner)")}</span> <span class="why">${esc(a.why.join("; "))}</span></li>`,
    )
    .join("");
  const blockers = launch.blockers
    .map((b) => `<li><span class="box"></span><code>${esc(b.path)}:${b.line}</code> ${esc(b.text)}</li>`)
    .join("");
  return `<section class="launch ${launch.passed ? "passed" : "held"}"><h2>Launch gate ${esc(launch.id)}: ${launch.passed ? "passed" : "not passed"}</h2>
<p>${launch.affected.length} affected files, ${open} still to review${launch.blockers.length ? `, ${launch.blockers.length} wording to change` : ""}. About ${esc(launch.about.join(", "))}${launch.supersedes.length ? `; supersedes ${esc(launch.supersedes.join(", "))}` : ""}.</p>
<ul class="check">${items}${blockers}</ul></section>`;
}

/** Stale files agents still read, most read first. */
function staleReads(rows: StaleRead[]): string {
  if (rows.length === 0) return "";
  const items = rows.map((r) => `<li>${esc(staleReadLine(r))}</li>`).join("");
  return `<section><h2>Stale files agents read (review these first)</h2><ul class="plain">${items}</ul></section>`;
}

function list(title: string, paths: string[]): string {
  if (paths.length === 0) return "";
  return `<section><h2>${esc(title)}</h2><ul class="plain">${paths.map((p) => `<li><code>${esc(p)}</code></li>`).join("")}</ul></section>`;
}

const CSS = `
*{box-sizing:border-box}body{margin:0;background:#f6f7f9;color:#1f2937;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:1180px;margin:0 auto;padding:28px 32px 40px}h1{margin:0;font-size:26px}h2{font-size:18px;margin:28px 0 10px}
.sub{color:#6b7280;margin:4px 0 18px}.tiles{display:grid;grid-template-columns:repeat(5,1fr);gap:12px}
.tile{background:#fff;border-radius:10px;padding:14px 16px;box-shadow:0 1px 2px rgba(0,0,0,.06);border-top:4px solid #cbd5e1}
.tile.good{border-top-color:#16a34a}.tile.bad{border-top-color:#dc2626}.tile .v{font-size:28px;font-weight:700}.tile .l{color:#6b7280;font-size:12px}
.reasons{margin:14px 0 0}.chip{display:inline-block;border-radius:999px;padding:3px 10px;margin:0 6px 6px 0;font-size:12px;background:#fff;border:1px solid #e5e7eb}
.chip.err{border-color:#fecaca;background:#fef2f2;color:#991b1b}.chip.warn{border-color:#fde68a;background:#fffbeb;color:#92400e}
.charts{display:grid;grid-template-columns:repeat(3,1fr);gap:12px;margin-top:14px}figure{margin:0;background:#fff;border-radius:10px;padding:12px 14px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
figcaption{font-weight:600;margin-bottom:6px;font-size:13px}
details{background:#fff;border-radius:10px;margin:0 0 10px;box-shadow:0 1px 2px rgba(0,0,0,.06);overflow:hidden}summary{padding:10px 14px;font-weight:600;cursor:pointer}
.n{background:#eef2ff;color:#3730a3;border-radius:999px;padding:1px 8px;font-size:12px;margin-left:6px}
table{width:100%;border-collapse:collapse}th,td{text-align:left;padding:6px 14px;white-space:nowrap;border-top:1px solid #f1f5f9;vertical-align:top}th{font-size:12px;color:#6b7280;font-weight:600}
tr.folder td{background:#f8fafc;color:#475569;font-size:12px;font-weight:600}td:last-child{white-space:normal;width:100%}.d{margin:1px 0}.d.error b{color:#b91c1c}.d.warning b{color:#b45309}.ln{color:#9ca3af;font-size:12px}
.st{border-radius:4px;padding:1px 6px;font-size:12px;background:#e5e7eb}.st.expired,.st.invalid{background:#fee2e2;color:#991b1b}.st.needs-review{background:#ede9fe;color:#5b21b6}.st.due-soon{background:#fef3c7;color:#92400e}
.launch{background:#fff;border-radius:10px;padding:4px 16px 10px;margin-top:16px;border-left:6px solid #dc2626}.launch.passed{border-left-color:#16a34a}
ul.check{list-style:none;padding:0}ul.check li{padding:3px 0}.box{display:inline-block;width:15px;height:15px;border:1.5px solid #9ca3af;border-radius:3px;margin-right:8px;text-align:center;font-size:11px;line-height:13px;vertical-align:-2px}
li.done{color:#6b7280}li.done .box{background:#16a34a;border-color:#16a34a;color:#fff}.who{color:#4338ca;margin-left:6px}.why{color:#6b7280;font-size:12px;margin-left:6px}
ul.plain{background:#fff;border-radius:10px;padding:10px 30px}code{font:12.5px ui-monospace,SFMono-Regular,Menlo,monospace}footer{color:#9ca3af;font-size:12px;margin-top:26px}
@media (max-width:900px){.tiles{grid-template-columns:repeat(2,1fr)}.charts{grid-template-columns:1fr}}
`;
