import type { ScopeResultJson } from "../src/dedup/report.js";
import { type DedupRunOptions, runDedup } from "../src/dedup/run.js";
import type { Context } from "../src/runtime/context.js";
import { count } from "../src/runtime/plural.js";
import type { JobResult } from "./types.js";

/**
 * Nightly dedup: per scope, removes near-duplicate facts (keeping the most informative version) and
 * reports contradictions and pairs to review. Options: `scope` (one scope; default all), `dryRun`.
 */
export async function run(ctx: Context, options: Record<string, unknown>): Promise<JobResult> {
  const results = await runDedup(ctx, {
    scope: typeof options.scope === "string" ? options.scope : undefined,
    dryRun: options.dryRun === true,
    onScope: options.onScope as DedupRunOptions["onScope"],
  });
  const data = combine(results);
  return {
    status: results.some((r) => r.skipped.length > 0) ? "needs-human" : "ok",
    counts: {
      facts: data.facts,
      removed: data.removed.length,
      review: data.scopes.reduce((n, s) => n + s.review, 0),
      contradictions: data.scopes.reduce((n, s) => n + s.contradictions, 0),
    },
    data,
    text: results.map(describe).join("\n"),
  };
}

/** The `--json` shape: the fields over every scope run, plus one entry per scope. */
export function combine(results: ScopeResultJson[]) {
  const tag = <T>(scope: string, list: T[]) => list.map((x) => ({ scope, ...x }));
  return {
    runId: results.length === 1 ? results[0]!.runId : null,
    dryRun: results.some((r) => r.dryRun),
    facts: results.reduce((n, r) => n + r.facts, 0),
    removed: results.flatMap((r) => tag(r.scope, r.removed)),
    review: results.flatMap((r) => tag(r.scope, r.review)),
    contradictions: results.flatMap((r) => tag(r.scope, r.contradictions)),
    reports: results.map((r) => r.report).filter((p): p is string => p !== null),
    scopes: results.map((r) => ({
      scope: r.scope,
      runId: r.runId,
      facts: r.facts,
      removed: r.removed.length,
      review: r.totals.review,
      contradictions: r.totals.contradictions,
      listed: { review: r.review.length, contradictions: r.contradictions.length },
      fullList: r.fullList,
      files: r.files,
      skipped: r.skipped,
      report: r.report,
      ...(r.judge ? { judge: r.judge } : {}),
    })),
  };
}

export function describe(r: ScopeResultJson): string {
  const verb = r.dryRun ? "would remove" : "removed";
  const run = r.dryRun ? "dry run" : `run ${r.runId}`;
  const skipped = r.skipped.length > 0 ? `, ${count(r.skipped.length, "file")} left unchanged` : "";
  const judged = r.judge ? `, ${count(r.judge.verdicts.length, "pair")} judged by the LLM` : "";
  return `dedup ${r.scope} (${run}): ${count(r.facts, "fact")}, ${verb} ${r.removed.length}, ${count(r.totals.contradictions, "contradiction")}, ${r.totals.review} to review${judged}${skipped}; report ${r.report}`;
}
