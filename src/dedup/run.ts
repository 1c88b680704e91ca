import { join } from "node:path";
import { scanFromContext } from "../brain/index.js";
import { createLlmRun, defaultApiKey } from "../llm/setup.js";
import { writeAtomic } from "../runtime/atomic.js";
import type { Context } from "../runtime/context.js";
import type { Logger } from "../runtime/log.js";
import { runJob } from "../runtime/runner.js";
import { daysBefore, factReads } from "../search/reads.js";
import { applyPlan } from "./apply.js";
import { DEFAULT_THRESHOLDS, type Thresholds } from "./decide.js";
import { scopeFacts } from "./facts.js";
import { type JudgeOutcome, judgePlan } from "./judge.js";
import { assertRemoveShare, type DedupPlan, planDedup } from "./plan.js";
import {
  forJson,
  JSON_LIST_CAP,
  pairLinesJson,
  renderReport,
  type ScopeResultJson,
  scopeResultJson,
} from "./report.js";
import { type DedupScope, docsInScope, selectScopes } from "./scopes.js";

export interface DedupRunOptions {
  scope?: string;
  dryRun?: boolean;
  /** Called with (scope, facts) before planning a scope, e.g. to start a progress bar. */
  onScope?: (scope: string, facts: number) => void;
}

export function thresholdsOf(ctx: Context): Thresholds {
  return { ...DEFAULT_THRESHOLDS, ...ctx.config.dedup.thresholds };
}

/**
 * Dedup one scope or all: scan once, then per scope plan → check the removal share → apply (unless
 * a dry run) → write the markdown report. Each scope runs under its own lock and run record.
 */
export async function runDedup(ctx: Context, options: DedupRunOptions = {}): Promise<ScopeResultJson[]> {
  const scopes = selectScopes(ctx.config, options.scope);
  const scan = scanFromContext(ctx);
  // Of two versions alike in every other way, the one agents read more survives.
  const reads = factReads(ctx.db(), ctx.config.brain, daysBefore(ctx.clock.now(), 90));
  const results: ScopeResultJson[] = [];
  for (const scope of scopes) {
    const outcome = await runJob(
      ctx,
      { job: "dedup", scope: scope.name, dryRun: options.dryRun },
      async (run) => {
        const facts = scopeFacts(docsInScope(scan.docs, scope), reads);
        options.onScope?.(scope.name, facts.length);
        const plan = planDedup(facts, { thresholds: thresholdsOf(ctx) });
        const judge = await runJudge(ctx, plan, run.log);
        assertRemoveShare(plan, ctx.config.dedup.maxRemoveShare, scope.name);
        const applied = await applyPlan(plan, {
          brain: ctx.config.brain,
          runId: run.id,
          db: options.dryRun ? undefined : ctx.db(),
          log: run.log,
          dryRun: options.dryRun,
          maxFileBytes: ctx.config.limits.maxFileBytes,
        });
        const result = scopeResultJson(scope.name, plan, {
          runId: run.id,
          dryRun: options.dryRun ?? false,
          files: applied.files,
          skipped: applied.skipped,
          report: null,
          judge,
        });
        result.fullList = await writeFullList(ctx, scope, result);
        result.report = await writeReport(ctx, scope, result);
        run.log.result("dedup finished", {
          facts: plan.facts,
          removed: result.removed.length,
          contradictions: result.totals.contradictions,
          review: result.totals.review,
        });
        return {
          status: applied.skipped.length > 0 ? ("needs-human" as const) : ("ok" as const),
          counts: countsOf(plan, result),
          summary: { report: result.report, skipped: applied.skipped.length },
          result: forJson(result),
        };
      },
    );
    results.push({ ...outcome.result, runId: outcome.runId });
  }
  return results;
}

function countsOf(plan: DedupPlan, result: ScopeResultJson): Record<string, number> {
  return {
    facts: plan.facts,
    removed: result.removed.length,
    review: result.totals.review,
    contradictions: result.totals.contradictions,
    files: result.files.length,
  };
}

function reportPath(ctx: Context, scope: DedupScope, result: ScopeResultJson, ext: string): string {
  const suffix = result.dryRun ? "-dry-run" : "";
  return join(ctx.config.reports, `dedup-${scope.name}-${ctx.clock.today()}${suffix}${ext}`);
}

async function writeReport(ctx: Context, scope: DedupScope, result: ScopeResultJson): Promise<string> {
  const path = reportPath(ctx, scope, result, ".md");
  await writeAtomic(path, renderReport(result, ctx.clock.today()));
  return path;
}

/** Every listed pair in a JSON-lines file, when `--json` cannot show them all; else null. */
async function writeFullList(
  ctx: Context,
  scope: DedupScope,
  result: ScopeResultJson,
): Promise<string | null> {
  const cut = Math.max(result.contradictions.length, result.review.length) > JSON_LIST_CAP;
  if (!cut) return null;
  const path = reportPath(ctx, scope, result, ".pairs.jsonl");
  await writeAtomic(path, pairLinesJson(result));
  return path;
}

/**
 * The LLM judge for the review band, when `dedup.judge.enabled` and an LLM is configured. It uses
 * the `llm` settings (model chain, retries, attempt cap, prices, `llm.apiKeyEnv`) and `mine.budget`
 * per scope and run; without an LLM it is skipped with a warning, never an error.
 */
async function runJudge(ctx: Context, plan: DedupPlan, log: Logger): Promise<JudgeOutcome | null> {
  const cfg = ctx.config;
  if (!cfg.dedup.judge.enabled || plan.review.length === 0) return null;
  if (!cfg.llm.baseUrl || cfg.llm.models.length === 0) {
    log.warn(
      "dedup.judge is enabled but no LLM is configured (llm.baseUrl, llm.models); review pairs stay for people",
    );
    return { judged: [], calls: 0, stopped: "no LLM configured" };
  }
  return judgePlan(plan, {
    llm: createLlmRun(cfg, log),
    apiKey: defaultApiKey(cfg),
    maxPairs: cfg.dedup.judge.maxPairs,
    log,
    signal: ctx.signal,
  });
}
