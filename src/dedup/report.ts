import { stripKbComments } from "../brain/provenance.js";
import { round } from "./apply.js";
import type { JudgeOutcome, Verdict } from "./judge.js";
import type { DedupPlan, PairFinding } from "./plan.js";
import type { ScopeFact } from "./survivor.js";

export interface FactRefJson {
  path: string;
  line: number;
  text: string;
}

export interface PairJson {
  a: FactRefJson;
  b: FactRefJson;
  score: number;
  reason: string;
}

/** One scope's result, as `kb dedup --json` prints it. */
export interface ScopeResultJson {
  scope: string;
  runId: number;
  dryRun: boolean;
  facts: number;
  removed: { path: string; line: number; text: string; keptPath: string; keptText: string; score: number }[];
  review: PairJson[];
  contradictions: PairJson[];
  files: string[];
  skipped: { path: string; reason: string }[];
  report: string | null;
  /** The LLM judge's verdicts on review pairs, when `dedup.judge` is enabled. */
  judge?: {
    calls: number;
    stopped: string | null;
    verdicts: (PairJson & { verdict: Verdict; model: string | null })[];
  };
}

export function scopeResultJson(
  scope: string,
  plan: DedupPlan,
  extra: {
    runId: number;
    dryRun: boolean;
    files: string[];
    skipped: ScopeResultJson["skipped"];
    report: string | null;
    judge?: JudgeOutcome | null;
  },
): ScopeResultJson {
  const failed = new Set(extra.skipped.map((s) => s.path));
  return {
    scope,
    runId: extra.runId,
    dryRun: extra.dryRun,
    facts: plan.facts,
    removed: plan.removals
      .filter((r) => !failed.has(r.fact.path) && !failed.has(r.kept.path))
      .map((r) => ({
        path: r.fact.path,
        line: r.fact.line,
        text: r.fact.text,
        keptPath: r.kept.path,
        keptText: r.kept.text,
        score: round(r.score),
      })),
    review: plan.review.map(pairJson),
    contradictions: plan.contradictions.map(pairJson),
    files: extra.files,
    skipped: extra.skipped,
    report: extra.report,
    ...(extra.judge
      ? {
          judge: {
            calls: extra.judge.calls,
            stopped: extra.judge.stopped,
            verdicts: extra.judge.judged.map((j) => ({
              ...pairJson(j.pair),
              verdict: j.verdict,
              model: j.model,
            })),
          },
        }
      : {}),
  };
}

function ref(f: ScopeFact): FactRefJson {
  return { path: f.path, line: f.line, text: f.text };
}

function pairJson(p: PairFinding): PairJson {
  return { a: ref(p.a), b: ref(p.b), score: round(p.score), reason: p.reason };
}

/** The markdown report for one scope: usable as a pull-request description. */
export function renderReport(result: ScopeResultJson, date: string): string {
  const lines = [
    `# kb dedup: ${result.scope} (${date})`,
    "",
    `${result.dryRun ? "Dry run (nothing written). " : ""}Run ${result.runId || "-"}: ${result.facts} facts compared, ` +
      `${result.removed.length} removed as duplicates, ${result.contradictions.length} contradictions and ` +
      `${result.review.length} pairs to review.`,
    "",
    "## Removed",
    "",
  ];
  if (result.removed.length === 0) lines.push("Nothing removed.");
  for (const r of result.removed) {
    lines.push(
      `- \`${r.path}:${r.line}\` ${quote(r.text)}`,
      `  - kept \`${r.keptPath}\` ${quote(r.keptText)} (score ${r.score})`,
    );
  }
  lines.push(
    "",
    "## Contradictions",
    "",
    "Facts that look alike but disagree. Decide which is true; kb never merges them.",
    "",
  );
  if (result.contradictions.length === 0) lines.push("None found.");
  for (const p of result.contradictions) lines.push(...pairLines(p));
  lines.push("", "## To review", "", "Similar facts kb did not merge on its own.", "");
  if (result.review.length === 0) lines.push("None.");
  for (const p of result.review) lines.push(...pairLines(p));
  if (result.judge) {
    const j = result.judge;
    const count = (v: Verdict) => j.verdicts.filter((x) => x.verdict === v).length;
    lines.push(
      "",
      "## LLM judge",
      "",
      `${j.verdicts.length} review pair(s) judged in ${j.calls} call(s): ${count("duplicate")} duplicate (removed above), ` +
        `${count("distinct")} distinct, ${count("unsure")} unsure (kept for review).${j.stopped ? ` Stopped early: ${j.stopped}.` : ""}`,
    );
    for (const p of j.verdicts.filter((x) => x.verdict === "distinct"))
      lines.push(...pairLines({ ...p, reason: "judged distinct" }));
  }
  if (result.skipped.length > 0) {
    lines.push("", "## Files left unchanged", "");
    for (const s of result.skipped) lines.push(`- \`${s.path}\`: ${s.reason}`);
  }
  return `${lines.join("\n")}\n`;
}

function pairLines(p: PairJson): string[] {
  return [
    `- ${p.reason} (score ${p.score})`,
    `  - \`${p.a.path}:${p.a.line}\` ${quote(p.a.text)}`,
    `  - \`${p.b.path}:${p.b.line}\` ${quote(p.b.text)}`,
  ];
}

function quote(text: string): string {
  return `“${stripKbComments(text).replace(/\|/g, "\\|")}”`;
}
