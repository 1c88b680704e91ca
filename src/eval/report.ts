import { existsSync } from "node:fs";
import { join } from "node:path";
import { writeAtomic } from "../runtime/atomic.js";
import { f, usd } from "./recommend.js";
import type { EvalResult, ModelSummary } from "./run.js";
import type { Spread } from "./stats.js";

/** The columns of the comparison table, shared by the markdown report and the terminal output. */
export function tableRows(result: EvalResult): string[][] {
  const header = [
    "model",
    "precision",
    "recall",
    "F1",
    "wrong path",
    "forbidden",
    "schema failures",
    "attempts",
    "tokens",
    "cost",
    "p50 latency",
    "p95 latency",
  ];
  const rows = result.models.map((m) => [
    m.model,
    f(m.precision),
    f(m.recall),
    f(m.f1) + (m.spread ? ` ±${f((m.spread.f1.max - m.spread.f1.min) / 2)}` : ""),
    m.wrongPathRate === null ? "—" : pct(m.wrongPathRate),
    count(m.forbidden),
    count(m.schemaFailures),
    count(m.attempts),
    count(Math.round(m.tokens.total)),
    m.costUsd === null ? "—" : `$${m.costUsd.toFixed(4)}`,
    ms(m.latencyMs.median),
    ms(m.latencyMs.p95),
  ]);
  return [header, ...rows];
}

export function recommendationLine(result: EvalResult): string {
  const r = result.recommendation;
  if (!r) return `recommendation: none (${result.note ?? "no model to compare"})`;
  return `recommendation: ${r.model} — ${r.reason}${result.note ? `; ${result.note}` : ""}`;
}

/** What `kb eval mine` prints: the table, the recommendation and where the reports are. */
export function renderText(result: EvalResult, reports: { markdown: string; json: string }): string {
  const rows = tableRows(result);
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const lines = rows.map((r) =>
    r
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join("  ")
      .trimEnd(),
  );
  return [
    `eval mine: ${result.set.name}, ${result.set.logs} logs, ${result.set.expected} expected facts, ${result.models.length} model(s) × ${result.runs} run(s)`,
    ...lines,
    recommendationLine(result),
    `report ${reports.markdown}`,
  ].join("\n");
}

export function renderMarkdown(result: EvalResult): string {
  const rows = tableRows(result);
  const table = [
    `| ${rows[0]!.join(" | ")} |`,
    `|${rows[0]!.map((_, i) => (i === 0 ? "---" : "---:")).join("|")}|`,
    ...rows.slice(1).map((r) => `| ${r.join(" | ")} |`),
  ];
  const out = [
    `# kb eval mine — ${result.date}`,
    "",
    `Set **${result.set.name}** (\`${result.set.dir}\`): ${result.set.logs} logs, ${result.set.expected} expected facts, ` +
      `${result.set.mustNot} must-not items; match threshold ${result.set.threshold}. ` +
      `${result.models.length} model(s), ${result.runs} run(s) each, F1 margin ${result.margin}.`,
    "",
    `**${recommendationLine(result).replace(/^recommendation: /, "Recommendation: ")}**`,
    "",
    ...table,
    "",
    "Precision, recall and F1 are over all facts of the set (micro-averaged). Wrong path is the share of",
    "matched facts the model put in another file. Forbidden counts produced facts that hit a must-not item",
    "or that kb refused as secrets. Schema failures are malformed replies (each gets one repair request).",
    `Counts, tokens and cost are per pass over the set${result.runs > 1 ? ` (mean of ${result.runs} runs; ± is half the F1 range)` : ""};`,
    "latency is per chunk. — means unknown (no `llm.prices` entry, or nothing matched).",
  ];
  out.push("", "## Grounding check", "", ...groundingTable(result.models));
  if (result.runs > 1) out.push("", `## Spread over ${result.runs} runs`, "", ...spreadTable(result.models));
  for (const m of result.models) out.push("", ...modelDetails(m, result.runs));
  return `${out.join("\n")}\n`;
}

/** What the grounding check kept and refused, and the scores with and without it. */
export function groundingTable(models: ModelSummary[]): string[] {
  const of = (a: number, b: number) => `${count(a)} of ${count(b)}`;
  return [
    "| model | correct facts kept | planted unsupported refused | refused in all | F1 with / without | precision with / without | forbidden with / without |",
    "|---|---:|---:|---:|---:|---:|---:|",
    ...models.map((m) => {
      const g = m.grounding;
      return `| ${m.model} | ${of(g.correctKept, g.correctWithout)} | ${of(g.plantedRefused, g.plantedProposed)} | ${count(g.refused)} | ${f(m.f1)} / ${f(g.without.f1)} | ${f(m.precision)} / ${f(g.without.precision)} | ${count(m.forbidden)} / ${count(g.without.forbidden)} |`;
    }),
    "",
    "Each reply is scored twice: as kb mine writes it (facts whose evidence is missing, not in the log, or",
    "lacks the fact's numbers, dates, names or identifiers are refused as UNGROUNDED) and with those facts",
    'put back. Planted unsupported facts are the must-not items whose `why` starts with "unsupported".',
  ];
}

function spreadTable(models: ModelSummary[]): string[] {
  const range = (s: Spread, fmt: (v: number) => string) => `${fmt(s.min)}–${fmt(s.max)}`;
  return [
    "| model | precision | recall | F1 | cost |",
    "|---|---:|---:|---:|---:|",
    ...models.map((m) =>
      m.spread
        ? `| ${m.model} | ${range(m.spread.precision, f)} | ${range(m.spread.recall, f)} | ${range(m.spread.f1, f)} | ${
            m.spread.costUsd ? range(m.spread.costUsd, (v) => `$${v.toFixed(4)}`) : "—"
          } |`
        : `| ${m.model} | — | — | — | — |`,
    ),
  ];
}

function modelDetails(m: ModelSummary, runs: number): string[] {
  const run = m.runs[0]!;
  const out = [`## ${m.model}${runs > 1 ? " (details of run 1)" : ""}`, ""];
  const counts = run.counts;
  out.push(
    `${counts.tp} matched, ${counts.fn} missed, ${counts.fp} unexpected, ${counts.known} already in the brain (ignored), ` +
      `${run.schemaFailures} malformed repl${run.schemaFailures === 1 ? "y" : "ies"}, ${run.failedChunks} chunk(s) without an answer; ${usd(run.costUsd)}.`,
  );
  if (run.budgetStop) out.push("", `Stopped early: ${run.budgetStop} (mine.budget).`);
  const section = (title: string, items: string[]) => {
    if (items.length > 0) out.push("", `### ${title}`, "", ...items);
  };
  const q = (s: string) => `"${s.replaceAll("\n", " ")}"`;
  section(
    "Missed",
    run.logs.flatMap((l) => l.missed.map((x) => `- \`${l.file}\`: ${q(x.text)} → \`${x.path}\``)),
  );
  section(
    "Unexpected",
    run.logs.flatMap((l) => l.extra.map((x) => `- \`${l.file}\`: ${q(x.text)} → \`${x.path}\``)),
  );
  section(
    "Wrong path",
    run.logs.flatMap((l) =>
      l.wrongPaths.map((x) => `- \`${l.file}\`: ${q(x.text)} → \`${x.path}\`, expected \`${x.expected}\``),
    ),
  );
  section(
    "Forbidden",
    run.logs.flatMap((l) => l.forbiddenHits.map((x) => `- \`${l.file}\`: ${q(x.text)} (${x.why})`)),
  );
  section(
    "Refused by the grounding check",
    run.logs.flatMap((l) => l.ungrounded.map((x) => `- \`${l.file}\`: ${q(x.text)} → \`${x.path}\``)),
  );
  section(
    "Rejected by kb's checks",
    Object.entries(run.rejected).map(([reason, n]) => `- ${reason} ×${n}`),
  );
  return out;
}

/** The result as JSON: numbers rounded to 6 decimals so reports diff cleanly. */
export function toJson(result: EvalResult, reports?: { markdown: string; json: string }): unknown {
  return JSON.parse(
    JSON.stringify({ ...result, reports }, (_k, v) =>
      typeof v === "number" && !Number.isInteger(v) ? Math.round(v * 1e6) / 1e6 : v,
    ),
  );
}

/** Write `<reports>/eval/mine-<date>.md` and `.json` (a `-2`, `-3`… suffix when the day has some). */
export async function writeReports(
  reportsDir: string,
  result: EvalResult,
): Promise<{ markdown: string; json: string }> {
  const dir = join(reportsDir, "eval");
  let base = join(dir, `mine-${result.date}`);
  for (let n = 2; existsSync(`${base}.md`) || existsSync(`${base}.json`); n++)
    base = join(dir, `mine-${result.date}-${n}`);
  const paths = { markdown: `${base}.md`, json: `${base}.json` };
  await writeAtomic(paths.markdown, renderMarkdown(result));
  await writeAtomic(paths.json, `${JSON.stringify(toJson(result, paths), null, 2)}\n`);
  return paths;
}

function pct(v: number): string {
  return `${Math.round(v * 100)}%`;
}

function count(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

function ms(v: number | null): string {
  if (v === null) return "—";
  return v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`;
}
