import picomatch from "picomatch";
import { scanFromContext } from "../brain/index.js";
import { sectionOf } from "../brain/parse.js";
import { ConfigError, UsageError } from "../errors.js";
import type { LlmRunOptions } from "../llm/client.js";
import { apiKeyFor, createLlmRun } from "../llm/setup.js";
import { indexFacts } from "../mine/nearest.js";
import { outline } from "../mine/prompt.js";
import type { Context } from "../runtime/context.js";
import { type GroundingFigures, groundingFigures, meanGrounding } from "./grounding.js";
import { type LogChunks, type PassOutput, readSetLogs, runPass } from "./pass.js";
import { type Recommendation, recommend } from "./recommend.js";
import { type Counts, metricsOf, scoreLog, sumCounts } from "./score.js";
import { type EvalSet, loadEvalSet } from "./set.js";
import { median, quantile, round, type Spread, spreadOf } from "./stats.js";

export interface EvalOptions {
  set: string;
  /** Models to compare, each alone (no fallback chain); default `llm.models`. */
  models?: string[];
  runs: number;
  /** F1 margin for the recommendation. */
  margin: number;
  /** Test hooks for the LLM client (backoff sleep, clock). */
  llm?: Partial<LlmRunOptions>;
}

/** One labelled log in one run: the counts and the facts behind them, for the report. */
export interface LogDetail extends Counts {
  file: string;
  failedChunks: number;
  missed: { text: string; path: string }[];
  extra: { text: string; path: string }[];
  wrongPaths: { text: string; path: string; expected: string }[];
  forbiddenHits: { text: string; why: string }[];
  /** Facts the grounding check refused (they are not in the counts above). */
  ungrounded: { text: string; path: string }[];
}

export interface RunDetail {
  run: number;
  counts: Counts;
  precision: number;
  recall: number;
  f1: number;
  wrongPathRate: number | null;
  schemaFailures: number;
  attempts: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number | null;
  failedChunks: number;
  budgetStop: string | null;
  /** kb's own rejections of the model's operations, by reason. */
  rejected: Record<string, number>;
  /** The same replies scored with and without the grounding check. */
  grounding: GroundingFigures;
  logs: LogDetail[];
}

export interface ModelSummary {
  model: string;
  /** Means over the runs; counts, tokens and cost are per pass over the set. */
  precision: number;
  recall: number;
  f1: number;
  wrongPathRate: number | null;
  forbidden: number;
  schemaFailures: number;
  attempts: number;
  tokens: { prompt: number; completion: number; total: number };
  /** null when `llm.prices` has no entry for the model. */
  costUsd: number | null;
  latencyMs: { median: number | null; p95: number | null };
  failedChunks: number;
  /** What the grounding check kept and refused (means over the runs). */
  grounding: GroundingFigures;
  /** Min and max over the runs (only with more than one run). */
  spread: { precision: Spread; recall: Spread; f1: Spread; costUsd: Spread | null } | null;
  runs: RunDetail[];
}

export interface EvalResult {
  date: string;
  set: { dir: string; name: string; logs: number; expected: number; mustNot: number; threshold: number };
  runs: number;
  margin: number;
  models: ModelSummary[];
  recommendation: Recommendation | null;
  /** Why there is no recommendation, or which models were left out of it. */
  note: string | null;
}

/**
 * `kb eval mine`: run extraction with each model alone over a labelled set and score it. Reads the
 * brain (for the same prompt `kb mine` builds) but never writes to it, to the watermarks or to git.
 */
export async function evalMine(ctx: Context, options: EvalOptions): Promise<EvalResult> {
  const cfg = ctx.config;
  const set = loadEvalSet(options.set);
  const models = options.models ?? cfg.llm.models;
  if (!cfg.llm.baseUrl)
    throw new ConfigError(
      "EVAL_NO_LLM",
      `llm.baseUrl is not set in ${cfg.location.path ?? "kb.config.yaml"}; evaluating needs an OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1`,
    );
  if (models.length === 0)
    throw new UsageError("EVAL_NO_MODELS", "no models to compare: pass --models a,b or set llm.models");
  const apiKey = apiKeyFor(cfg, { agent: "eval" });
  const today = ctx.clock.today();
  const logs = readSetLogs(set, { chunkTokens: cfg.mine.chunkTokens, today });
  for (const l of logs.filter((l) => l.badLines.length > 0))
    ctx.log.warn("eval: lines that are not valid JSON were skipped", { file: l.log.file, lines: l.badLines });
  const scan = scanFromContext(ctx);
  const index = indexFacts(scan.docs, sectionOf);
  const tree = outline(scan.docs, picomatch(cfg.mine.allowedPaths));

  const summaries: ModelSummary[] = [];
  for (const model of models) {
    const runs: RunDetail[] = [];
    const latencies: number[] = [];
    for (let n = 1; n <= options.runs; n++) {
      ctx.log.info("eval: extracting", { model, run: n, logs: logs.length });
      const llm = createLlmRun(cfg, ctx.log, { ...options.llm, models: [model] });
      const pass = await runPass(logs, {
        llm,
        apiKey,
        brain: cfg.brain,
        index,
        outline: tree,
        allowedPaths: cfg.mine.allowedPaths,
        maxAttempts: cfg.llm.maxAttemptsPerChunk,
        today,
        signal: ctx.signal,
      });
      latencies.push(...pass.latencies);
      const usage = llm.ledger.entry(model);
      runs.push(
        runDetail(n, set, logs, pass, {
          attempts: usage.attempts,
          promptTokens: usage.promptTokens,
          completionTokens: usage.completionTokens,
          costUsd: model in cfg.llm.prices ? usage.costUsd : null,
        }),
      );
    }
    summaries.push(summarise(model, runs, latencies));
  }
  const { recommendation, note } = recommend(
    summaries.map((s) => ({
      model: s.model,
      f1: s.f1,
      costUsd: s.costUsd,
      excluded: exclusion(s.runs),
    })),
    options.margin,
  );
  return {
    date: today,
    set: {
      dir: set.dir,
      name: set.name,
      logs: set.logs.length,
      expected: set.logs.reduce((a, l) => a + l.facts.length, 0),
      mustNot: set.logs.reduce((a, l) => a + l.mustNot.length, 0),
      threshold: set.threshold,
    },
    runs: options.runs,
    margin: options.margin,
    models: summaries,
    recommendation,
    note,
  };
}

function runDetail(
  run: number,
  set: EvalSet,
  logs: LogChunks[],
  pass: PassOutput,
  usage: Pick<RunDetail, "attempts" | "promptTokens" | "completionTokens" | "costUsd">,
): RunDetail {
  const details = logs.map(({ log }, i): LogDetail => {
    const out = pass.logs[i]!;
    const s = scoreLog(log.facts, log.mustNot, out.produced, set.threshold);
    const secrets = out.rejected.filter((r) => r.reason === "TEXT_SECRET");
    const first = (paths: string[]) => paths[0]!;
    return {
      file: log.file,
      tp: s.tp,
      fp: s.fp,
      fn: s.fn,
      wrongPath: s.wrongPath,
      forbidden: s.forbidden + secrets.length,
      known: s.known,
      failedChunks: out.failedChunks,
      missed: s.missed.map((e) => ({ text: log.facts[e]!.texts[0]!, path: first(log.facts[e]!.paths) })),
      extra: s.extra.map((p) => ({ text: out.produced[p]!.text, path: out.produced[p]!.path })),
      wrongPaths: s.matches
        .filter((m) => !m.pathOk)
        .map((m) => ({
          text: out.produced[m.produced]!.text,
          path: out.produced[m.produced]!.path,
          expected: log.facts[m.expected]!.paths.join(" or "),
        })),
      forbiddenHits: [
        ...s.forbiddenHits.map((h) => ({
          text: out.produced[h.produced]!.text,
          why: log.mustNot[h.item]!.why || "must not be extracted",
        })),
        ...secrets.map((r) => ({ text: r.detail, why: "secret (refused by kb's own check)" })),
      ],
      ungrounded: out.ungrounded.map((p) => ({ text: p.text, path: p.path })),
    };
  });
  const counts = sumCounts(details);
  const rejected: Record<string, number> = {};
  for (const r of pass.logs.flatMap((l) => l.rejected)) rejected[r.reason] = (rejected[r.reason] ?? 0) + 1;
  return {
    run,
    counts,
    ...metricsOf(counts),
    schemaFailures: pass.schemaFailures,
    ...usage,
    failedChunks: details.reduce((a, d) => a + d.failedChunks, 0),
    budgetStop: pass.budgetStop,
    rejected,
    grounding: groundingFigures(set, logs, pass),
    logs: details,
  };
}

function summarise(model: string, runs: RunDetail[], latencies: number[]): ModelSummary {
  const mean = (pick: (r: RunDetail) => number) => spreadOf(runs.map(pick)).mean;
  const wrong = runs.map((r) => r.wrongPathRate).filter((v): v is number => v !== null);
  const priced = runs.every((r) => r.costUsd !== null);
  const prompt = mean((r) => r.promptTokens);
  const completion = mean((r) => r.completionTokens);
  return {
    model,
    precision: mean((r) => r.precision),
    recall: mean((r) => r.recall),
    f1: mean((r) => r.f1),
    wrongPathRate: wrong.length === 0 ? null : spreadOf(wrong).mean,
    forbidden: mean((r) => r.counts.forbidden),
    schemaFailures: mean((r) => r.schemaFailures),
    attempts: mean((r) => r.attempts),
    tokens: { prompt, completion, total: prompt + completion },
    costUsd: priced ? mean((r) => r.costUsd ?? 0) : null,
    latencyMs: {
      median: nullableRound(median(latencies)),
      p95: nullableRound(quantile(latencies, 0.95)),
    },
    failedChunks: mean((r) => r.failedChunks),
    grounding: meanGrounding(runs.map((r) => r.grounding)),
    spread:
      runs.length > 1
        ? {
            precision: spreadOf(runs.map((r) => r.precision)),
            recall: spreadOf(runs.map((r) => r.recall)),
            f1: spreadOf(runs.map((r) => r.f1)),
            costUsd: priced ? spreadOf(runs.map((r) => r.costUsd ?? 0)) : null,
          }
        : null,
    runs,
  };
}

function nullableRound(value: number | null): number | null {
  return value === null ? null : round(value, 1);
}

/** Why a model cannot be recommended: it did not finish the set. */
function exclusion(runs: RunDetail[]): string | null {
  const stop = runs.find((r) => r.budgetStop)?.budgetStop;
  if (stop) return `${stop}; raise mine.budget`;
  const failed = runs.reduce((a, r) => a + r.failedChunks, 0);
  return failed > 0 ? `${failed} chunk(s) without an answer` : null;
}
