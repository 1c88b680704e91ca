import type { ModelUsage } from "../llm/usage.js";
import type { AppliedOp } from "./apply.js";
import type { EvidenceEntry } from "./grounding.js";
import type { SourceStats } from "./plan.js";
import type { Rejection } from "./validate.js";

export interface MineSummary {
  runId: number;
  date: string;
  host: string;
  mode: string;
  entries: { read: number; mined: number; skipped: number };
  llm: { calls: number; attempts: number; promptTokens: number; completionTokens: number; costUsd: number };
  usage: ModelUsage[];
  ops: AppliedOp[];
  rejected: (Rejection & { agent?: string })[];
  branch: string | null;
  commits: string[];
  budgetStop: boolean;
  stopReason: string | null;
  sources: SourceStats[];
}

/** The review description (PR body) for a mine run: what changed, what was refused, what it cost. Pure. */
export function renderReport(s: MineSummary): string {
  const added = s.ops.filter((o) => o.op === "add");
  const superseded = s.ops.filter((o) => o.op === "supersede" || o.op === "enrich");
  const dupes = s.ops.filter((o) => o.op === "duplicate");
  const ungrounded = s.rejected.filter((r) => r.reason === "UNGROUNDED").length;
  const lines = [
    `# kb mine ${s.date} (${s.host})`,
    "",
    `${added.length} added, ${superseded.length} superseded, ${dupes.length} already known, ${s.rejected.length} rejected${ungrounded ? ` (${ungrounded} ungrounded)` : ""}` +
      ` · ${s.entries.mined} of ${s.entries.read} new log entries mined` +
      ` · ${s.llm.calls} LLM calls (${s.llm.attempts} attempts), ${s.llm.promptTokens + s.llm.completionTokens} tokens, $${s.llm.costUsd.toFixed(4)}`,
    "",
    `Mode: ${s.mode}${s.branch ? ` · branch \`${s.branch}\` (merge with \`kb accept ${s.branch}\`, drop with \`kb reject ${s.branch}\`)` : ""}`,
  ];
  if (s.budgetStop)
    lines.push("", `**Stopped early: ${s.stopReason}.** The next run continues from the last checkpoint.`);
  else if (s.stopReason) lines.push("", `**Stopped: ${s.stopReason}.**`);
  if (added.length) {
    lines.push("", "## Added", "");
    for (const o of added) {
      lines.push(`- \`${o.path}\`: ${o.text}${o.note ? ` _(${o.note})_` : ""}`, ...evidenceLines(o));
    }
  }
  if (superseded.length) {
    lines.push("", "## Superseded", "");
    for (const o of superseded) {
      lines.push(
        `- \`${o.path}\`: ${o.text}`,
        ...evidenceLines(o),
        `  - was: ${o.supersedes}${o.archivedTo ? ` (archived to \`${o.archivedTo}\`)` : ""}`,
      );
    }
  }
  if (dupes.length) {
    lines.push("", "## Already known (not added)", "");
    for (const o of dupes) lines.push(`- \`${o.path}\`: ${o.supersedes}`);
  }
  if (s.rejected.length) {
    lines.push("", "## Rejected", "");
    for (const r of s.rejected) lines.push(`- ${r.reason}${r.agent ? ` (${r.agent})` : ""}: ${r.detail}`);
  }
  lines.push(
    "",
    "## Cost",
    "",
    "| model | calls | attempts | prompt tokens | completion tokens | cost |",
    "|---|---:|---:|---:|---:|---:|",
  );
  for (const u of s.usage) {
    lines.push(
      `| ${u.model} | ${u.calls} | ${u.attempts} | ${u.promptTokens} | ${u.completionTokens} | $${u.costUsd.toFixed(4)} |`,
    );
  }
  lines.push(
    "",
    "## Sources",
    "",
    "| agent | kind | files | new entries read | compressed decoded | gated (not sent) | re-read (rotated/truncated) | gone |",
    "|---|---|---:|---|---:|---|---:|---:|",
  );
  const tally = (counts: Record<string, number | undefined>) =>
    Object.entries(counts)
      .map(([k, n]) => `${k} ${n}`)
      .join(", ") || "0";
  for (const src of s.sources)
    lines.push(
      `| ${src.agent} | ${src.kind} | ${src.files} | ${tally(src.read)} | ${src.decoded} | ${tally(src.gated)} | ${src.restarted} | ${src.deleted} |`,
    );
  const notes = s.sources.flatMap((src) => src.notes.map((n) => `- ${src.agent}: ${n}`));
  if (notes.length) lines.push("", ...notes);
  const problems = s.sources.flatMap((src) => src.problems.map((p) => ({ agent: src.agent, ...p })));
  if (problems.length) {
    lines.push(
      "",
      "## Needs a person: entries kb cannot read",
      "",
      "Each holds its file's watermark back, so nothing after it is skipped for good.",
      "",
    );
    for (const p of problems)
      lines.push(`- ${p.agent} \`${p.file}\` session ${p.session}, seq ${p.seq} (row ${p.row}): ${p.reason}`);
  }
  return `${lines.join("\n")}\n`;
}

/** The commit message for one chunk's changes: each fact with its quote and source. */
export function commitMessage(agent: string, ops: AppliedOp[]): string {
  const changed = ops.filter((o) => o.op !== "duplicate");
  const head = `kb mine: ${changed.length} change(s) from ${agent}`;
  const body = changed.flatMap((o) => [`- ${o.op} ${o.path}: ${o.text.slice(0, 120)}`, ...evidenceLines(o)]);
  return [head, "", ...body].join("\n");
}

/** Under a fact: the quote it was grounded in, and where it comes from (agent, session, entry, time). */
export function evidenceLines(o: AppliedOp): string[] {
  if (!o.evidence) return [];
  const quote = o.evidence.quote.replace(/\s+/g, " ").replace(/`/g, "'");
  return [`  > ${quote}`, `  — ${sourceLine(o.agent, o.evidence.entries)}`];
}

function sourceLine(agent: string | undefined, entries: EvidenceEntry[]): string {
  const first = entries[0];
  const parts = [agent ?? "unknown agent"];
  if (first?.session) parts.push(`session ${first.session}`);
  const ids = entries.map((e) => e.entryId).filter(Boolean);
  if (ids.length) parts.push(`${ids.length > 1 ? "entries" : "entry"} ${ids.join(", ")}`);
  if (first?.at) parts.push(first.at.slice(0, 16).replace("T", " "));
  return parts.join(" · ");
}
