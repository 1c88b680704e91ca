import { readFileSync } from "node:fs";
import { BudgetStop } from "../llm/budget.js";
import { type LlmRun, LlmUnavailableError } from "../llm/client.js";
import { applyOps } from "../mine/apply.js";
import { extractOps } from "../mine/extract.js";
import { type FactIndex, nearestFacts } from "../mine/nearest.js";
import { type Chunk, chunkEntries, preprocess } from "../mine/preprocess.js";
import { buildMessages } from "../mine/prompt.js";
import { parseLog } from "../mine/readers/index.js";
import { readStore } from "../mine/readers/sqlite-store.js";
import type { LogEntry } from "../mine/types.js";
import type { Rejection } from "../mine/validate.js";
import type { ProducedFact } from "./score.js";
import type { EvalLog, EvalSet } from "./set.js";

/** One labelled log, read and cut into prompt chunks exactly as `kb mine` would (no watermark involved). */
export interface LogChunks {
  log: EvalLog;
  chunks: Chunk[];
  /** Secrets redacted before any prompt, by kind. */
  redactions: Record<string, number>;
  /** Line numbers that were not valid JSON (skipped, as `kb mine` skips them). */
  badLines: number[];
}

/** Read every log of the set from its start: reader → preprocess (noise, redaction, cuts) → chunks. */
export function readSetLogs(set: EvalSet, options: { chunkTokens: number; today: string }): LogChunks[] {
  return set.logs.map((log) => {
    let entries: LogEntry[];
    let end: number;
    let badLines: number[] = [];
    if (log.kind === "openclaw-sqlite") ({ entries, end } = readStore(log.abs, 0));
    else ({ entries, end, badLines } = parseLog(log.kind, log.abs, readFileSync(log.abs), 0, options.today));
    const pre = preprocess(entries);
    return { log, chunks: chunkEntries(pre, options.chunkTokens, end), redactions: pre.redactions, badLines };
  });
}

/** What one model did with one log in one pass over the set. */
export interface LogOutput {
  produced: ProducedFact[];
  /** Facts the grounding check refused (and that passed every other check): scored only "without the check". */
  ungrounded: ProducedFact[];
  rejected: Rejection[];
  /** Chunks that got no usable reply (model unavailable, attempts used up, budget reached). */
  failedChunks: number;
}

export interface PassOutput {
  logs: LogOutput[];
  schemaFailures: number;
  /** Milliseconds per answered chunk (the answering request plus any repair request). */
  latencies: number[];
  /** Why the pass stopped early, when the budget (`mine.budget`) ran out. */
  budgetStop: string | null;
}

export interface PassContext {
  llm: LlmRun;
  apiKey: string;
  brain: string;
  index: FactIndex;
  outline: string;
  allowedPaths: string[];
  maxAttempts: number;
  today: string;
  signal?: AbortSignal;
}

/**
 * One pass of one model over the set, through the same prompt, LLM call, repair and validation as
 * `kb mine`. Each valid operation is also applied as a dry run, which never writes, to learn
 * whether `kb mine` would drop it as already in the brain. Operations only the grounding check
 * refused are kept apart, so the set can be scored with and without the check from one pass.
 */
export async function runPass(logs: LogChunks[], ctx: PassContext): Promise<PassOutput> {
  const out: PassOutput = { logs: [], schemaFailures: 0, latencies: [], budgetStop: null };
  for (const { log, chunks } of logs) {
    const result: LogOutput = { produced: [], ungrounded: [], rejected: [], failedChunks: 0 };
    out.logs.push(result);
    for (const chunk of chunks) {
      if (out.budgetStop) {
        result.failedChunks++;
        continue;
      }
      const near = nearestFacts(ctx.index, chunk.text);
      let extraction: Awaited<ReturnType<typeof extractOps>>;
      try {
        extraction = await extractOps({
          llm: ctx.llm,
          apiKey: ctx.apiKey,
          messages: buildMessages({ outline: ctx.outline, near, chunk, agent: log.agent }),
          near,
          entries: chunk.entries,
          allowedPaths: ctx.allowedPaths,
          maxAttempts: ctx.maxAttempts,
          // A signal per chunk: the SDK leaves a listener on the signal of every request it makes.
          signal: ctx.signal ? AbortSignal.any([ctx.signal]) : undefined,
        });
      } catch (error) {
        if (error instanceof BudgetStop) out.budgetStop = error.message;
        else if (!(error instanceof LlmUnavailableError)) throw error;
        result.failedChunks++;
        continue;
      }
      out.schemaFailures += extraction.schemaFailures;
      out.latencies.push(extraction.latencyMs);
      result.rejected.push(...extraction.rejected);
      const logDate = (chunk.entries.at(-1)?.at || ctx.today).slice(0, 10);
      const unchecked = extraction.ungrounded.map((op) => ({ ...op, evidence: { quote: "", entries: [] } }));
      for (const [i, op] of [...extraction.valid, ...unchecked].entries()) {
        const grounded = i < extraction.valid.length;
        const dry = await applyOps([op], {
          brain: ctx.brain,
          agent: log.agent,
          logDate,
          today: ctx.today,
          near,
          dryRun: true,
        });
        if (dry.rejected.length > 0) {
          if (grounded) result.rejected.push(...dry.rejected);
          continue;
        }
        (grounded ? result.produced : result.ungrounded).push({
          text: op.text,
          path: op.op === "add" ? op.path : op.target.path,
          known: dry.applied[0]?.op === "duplicate",
        });
      }
    }
  }
  return out;
}
