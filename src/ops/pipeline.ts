import { findJob } from "../../jobs/index.js";
import { ExitCode, errorMessage, exitCodeFor, LockedError } from "../errors.js";
import type { Context } from "../runtime/context.js";
import { skipReason } from "./skip.js";

/**
 * The nightly pipeline: pull, mine yesterday's logs, make every changed value converge across the
 * tree, dedup every scope, push, then a fresh audit report.
 */
export const NIGHTLY = ["sync", "mine", "consolidate", "dedup", "sync", "audit"] as const;

export interface StepResult {
  job: string;
  status: "ok" | "needs-human" | "failed" | "skipped";
  /** Why a step was skipped or failed. */
  reason?: string;
  text: string;
  exitCode: number;
  data?: unknown;
}

export interface PipelineResult {
  steps: StepResult[];
  exitCode: number;
}

/** Run jobs in order, continuing past a failed step; each step reports what it did or why it did not. */
export async function runPipeline(
  ctx: Context,
  names: readonly string[],
  options: Record<string, unknown> = {},
): Promise<PipelineResult> {
  const steps: StepResult[] = [];
  for (const name of names) {
    if (ctx.signal.aborted) {
      steps.push({ job: name, status: "skipped", reason: "shutting down", text: "", exitCode: ExitCode.ok });
      continue;
    }
    steps.push(await runStep(ctx, name, options));
  }
  if (names === NIGHTLY && ctx.config.recall.set && !options.dryRun && !ctx.signal.aborted)
    steps.push(await recallStep(ctx));
  return { steps, exitCode: worst(steps) };
}

async function runStep(ctx: Context, name: string, options: Record<string, unknown>): Promise<StepResult> {
  const job = findJob(name);
  if (!job)
    return {
      job: name,
      status: "failed",
      reason: `no job named "${name}"`,
      text: "",
      exitCode: ExitCode.usage,
    };
  const skip = skipReason(name, ctx.config);
  if (skip) return { job: name, status: "skipped", reason: skip, text: "", exitCode: ExitCode.ok };
  try {
    const result = await (await job.load()).run(ctx, options);
    const status = result.status ?? "ok";
    return {
      job: name,
      status,
      text: result.text,
      data: result.data,
      exitCode: status === "ok" ? ExitCode.ok : ExitCode.needsHuman,
    };
  } catch (error) {
    if (error instanceof LockedError) {
      return {
        job: name,
        status: "skipped",
        reason: errorMessage(error),
        text: "",
        exitCode: ExitCode.locked,
      };
    }
    ctx.log.error(`${name} failed`, { error: errorMessage(error) });
    return {
      job: name,
      status: "failed",
      reason: errorMessage(error),
      text: "",
      exitCode: exitCodeFor(error),
    };
  }
}

/** After the nightly jobs: what agents now retrieve, against the configured question set (config `recall`). */
async function recallStep(ctx: Context): Promise<StepResult> {
  try {
    const { checkRecall } = await import("../eval/recall/check.js");
    const check = (await checkRecall(ctx))!;
    const text = [check.line, ...check.problems].join("\n");
    return check.problems.length > 0
      ? {
          job: "recall",
          status: "needs-human",
          reason: check.problems.join("; "),
          text,
          exitCode: ExitCode.needsHuman,
        }
      : { job: "recall", status: "ok", text, exitCode: ExitCode.ok };
  } catch (error) {
    ctx.log.error("recall check failed", { error: errorMessage(error) });
    return {
      job: "recall",
      status: "failed",
      reason: errorMessage(error),
      text: "",
      exitCode: exitCodeFor(error),
    };
  }
}

/** The pipeline's exit code: a failure beats "needs a person", which beats success. */
function worst(steps: StepResult[]): number {
  const failed = steps.find((s) => s.status === "failed");
  if (failed) return failed.exitCode === ExitCode.transient ? ExitCode.transient : ExitCode.failure;
  if (steps.some((s) => s.status === "needs-human")) return ExitCode.needsHuman;
  return ExitCode.ok;
}
