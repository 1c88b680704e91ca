import type { ConsolidateResult } from "./run.js";

/**
 * The consolidation report (reports/consolidate-DATE.md), also the review branch's description:
 * each superseded statement with the evidence that decided it, values that change on a date, and
 * the contradictions waiting for a person with the command that settles each.
 */
export function renderConsolidateReport(r: ConsolidateResult, today: string): string {
  const lines = [`# Consolidation ${today}${r.dryRun ? " (dry run: nothing changed)" : ""}`, ""];
  const verb = r.dryRun ? "would supersede" : "superseded";
  lines.push(
    `${r.facts} live facts, ${r.conflicts} pair(s) giving one subject different values; ${verb} ${r.applied.length}` +
      (r.branch ? ` on review branch \`${r.branch}\` (\`kb accept ${r.branch}\`)` : "") +
      `; ${r.contested.length} for a person; ${r.scheduled.length} changing on a date` +
      (r.pending > 0 ? `; ${r.pending} already proposed on an open review branch` : "") +
      ".",
    "",
  );
  if (r.applied.length > 0) {
    lines.push(
      "## Superseded",
      "",
      "| file | was | now | current fact | evidence |",
      "|---|---|---|---|---|",
    );
    for (const a of r.applied)
      lines.push(
        `| ${a.path}:${a.line} | ${cell(a.old)} | ${a.rewritten ? cell(a.rewritten) : `archived to ${a.archivedTo}`} | ${cell(`${a.current.text} (${a.current.path})`)} | ${cell(`${a.rule}: ${a.why}`)} |`,
      );
    lines.push(
      "",
      "Every superseded statement is kept in `_archive/` with a pointer to what replaced it; `kb why` explains it and `kb undo RUN` restores an applied run.",
      "",
    );
  }
  if (r.contested.length > 0) {
    lines.push(
      "## For a person",
      "",
      "kb will not decide these: no evidence says which value is current. Until settled, `kb search` and the MCP tools mark both sides contested.",
      "",
    );
    for (const c of r.contested) {
      lines.push(
        `- **#${c.id}** (${c.attribute}): “${c.a.text}” (${c.a.path}:${c.a.line}) vs “${c.b.text}” (${c.b.path}:${c.b.line}) — ${c.why}`,
        `  settle: \`kb settle ${c.id} --keep ${c.a.path}:${c.a.line}\` or \`--keep ${c.b.path}:${c.b.line}\``,
      );
    }
    lines.push("");
  }
  if (r.scheduled.length > 0) {
    lines.push("## Changing on a date", "");
    for (const s of r.scheduled)
      lines.push(
        `- on ${s.on}: “${s.next.text}” (${s.next.path}) replaces “${s.current.text}” (${s.current.path})`,
      );
    lines.push("");
  }
  if (r.skipped.length > 0) {
    lines.push("## Left unchanged", "");
    for (const s of r.skipped) lines.push(`- ${s.path}: ${s.reason}`);
    lines.push("");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}
