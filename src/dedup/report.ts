import { stripKbComments } from "../brain/provenance.js";
import { count } from "../runtime/plural.js";
import { round } from "./apply.js";
import type { JudgeOutcome, Verdict } from "./judge.js";
import type { FactRefJson, PairJson } from "./pair-json.js";
import type { DedupPlan, PairFinding } from "./plan.js";
import { GROUP_FROM, groupPairs } from "./report-groups.js";
import type { ScopeFact } from "./survivor.js";

/** `--json` lists at most this many contradictions and review pairs per scope. */
export const JSON_LIST_CAP = 500;
/** The markdown report shows at most this many groups of look-alike pairs per section. */
const MAX_GROUPS = 25;
const EXAMPLES = 3;

/** One scope's result, as `kb dedup --json` prints it. */
export interface ScopeResultJson {
  scope: string;
  runId: number;
  dryRun: boolean;
  facts: number;
  removed: { path: string; line: number; text: string; keptPath: string; keptText: string; score: number }[];
  review: PairJson[];
  contradictions: PairJson[];
  /**
   * How many look-alike pairs were found, listed or not: the lists hold at most a few pairs per
   * fact, and `--json` at most `JSON_LIST_CAP` of each; `fullList` then names the file with every
   * listed pair (JSON lines).
   */
  totals: { contradictions: number; review: number; atLeast: boolean };
  fullList: string | null;
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
    totals: {
      contradictions: plan.contradictions.length + plan.omitted.contradiction,
      review: plan.review.length + plan.omitted.review,
      atLeast: plan.omitted.atLeast,
    },
    fullList: null,
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
    `${result.dryRun ? "Dry run, nothing changed" : `Run ${result.runId}`}: ${count(result.facts, "fact")} compared, ` +
      `${result.removed.length} ${result.dryRun ? "would be removed" : "removed"} as duplicates, ${count(result.totals.contradictions, "contradiction")} and ` +
      `${count(result.totals.review, "pair")} to review.`,
    "",
    result.dryRun ? "## Would remove" : "## Removed",
    "",
  ];
  if (result.removed.length === 0) lines.push(result.dryRun ? "Nothing to remove." : "Nothing removed.");
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
  lines.push(...section(result.contradictions, result.totals.contradictions, result));
  lines.push("", "## To review", "", "Similar facts kb did not merge on its own.", "");
  if (result.review.length === 0) lines.push("None.");
  lines.push(...section(result.review, result.totals.review, result));
  if (result.judge) {
    const j = result.judge;
    const verdicts = (v: Verdict) => j.verdicts.filter((x) => x.verdict === v).length;
    lines.push(
      "",
      "## LLM judge",
      "",
      `${count(j.verdicts.length, "review pair")} judged in ${count(j.calls, "call")}: ${verdicts("duplicate")} duplicate (${result.dryRun ? "would be removed" : "removed"} above), ` +
        `${verdicts("distinct")} distinct, ${verdicts("unsure")} unsure (kept for review).${j.stopped ? ` Stopped early: ${j.stopped}.` : ""}`,
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

/** A section's pairs: every pair when few, else groups of one template with a few examples each. */
function section(pairs: PairJson[], total: number, result: ScopeResultJson): string[] {
  const lines: string[] = [];
  if (pairs.length <= GROUP_FROM) for (const p of pairs) lines.push(...pairLines(p));
  else {
    const groups = groupPairs(pairs);
    for (const g of groups.slice(0, MAX_GROUPS)) {
      lines.push(`- ${g.pairs.length} × ${g.kind}, like “${g.template}”:`);
      for (const p of g.pairs.slice(0, EXAMPLES)) lines.push(...pairLines(p).map((l) => `  ${l}`));
      if (g.pairs.length > EXAMPLES) lines.push(`  - … and ${g.pairs.length - EXAMPLES} more like these`);
    }
    const rest = groups.slice(MAX_GROUPS);
    if (rest.length > 0) {
      const n = rest.reduce((k, g) => k + g.pairs.length, 0);
      lines.push(`- … and ${count(n, "more pair")} in ${count(rest.length, "smaller group")}`);
    }
  }
  const left = total - pairs.length;
  if (left > 0) {
    lines.push(
      "",
      `${result.totals.atLeast ? "At least " : ""}${count(left, "more look-alike pair")} ${left === 1 ? "is" : "are"} not listed: each fact lists at most a few, and these facts had theirs.`,
    );
  }
  if (result.fullList && pairs.length > GROUP_FROM)
    lines.push("", `Every listed pair: \`${result.fullList}\`.`);
  return lines;
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

/** Every listed look-alike pair, one JSON object a line, for the full-list file. */
export function pairLinesJson(result: ScopeResultJson): string {
  const out: string[] = [];
  for (const p of result.contradictions) out.push(JSON.stringify({ band: "contradiction", ...p }));
  for (const p of result.review) out.push(JSON.stringify({ band: "review", ...p }));
  return out.length > 0 ? `${out.join("\n")}\n` : "";
}

/** The result as `--json` prints it: the pair lists cut to `JSON_LIST_CAP` (the totals say how many there are). */
export function forJson(result: ScopeResultJson): ScopeResultJson {
  return {
    ...result,
    contradictions: result.contradictions.slice(0, JSON_LIST_CAP),
    review: result.review.slice(0, JSON_LIST_CAP),
  };
}
