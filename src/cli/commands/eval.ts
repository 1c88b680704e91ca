import { ExitCode, UsageError } from "../../errors.js";
import {
  toJson as recallJson,
  renderText as renderRecall,
  writeRecallReports,
} from "../../eval/recall/report.js";
import { ENGINES, type Engine, evalRecall } from "../../eval/recall/run.js";
import { renderText, toJson, writeReports } from "../../eval/report.js";
import { evalMine } from "../../eval/run.js";
import type { Context } from "../../runtime/context.js";
import type { CommandInput, CommandOutput } from "../types.js";
import { parseK } from "./search.js";

/**
 * `kb eval mine --set DIR [--models a,b] [--runs N] [--margin F1]`: choose the mining model by measurement.
 * `kb eval recall --set DIR [--engine kb|openclaw] [--k N]`: what agents retrieve from the brain.
 */
export async function run(ctx: Context, input: CommandInput): Promise<CommandOutput> {
  const { args, opts } = input;
  const what = args[0];
  if (what !== "mine" && what !== "recall")
    throw new UsageError(
      "EVAL_UNKNOWN",
      `${what === undefined ? "name what to evaluate" : `"${what}" is not an evaluation`}; expected one of:\n` +
        "  mine    compare mining models on a labelled set: kb eval mine --set DIR [--models a,b]\n" +
        "  recall  measure what agents retrieve from the brain: kb eval recall --set DIR [--engine kb|openclaw]",
    );
  if (typeof opts.set !== "string" || opts.set === "")
    throw new UsageError(
      "EVAL_NO_SET",
      what === "mine"
        ? "--set DIR is required: the labelled set folder, with expected.yaml (see evals/README.md)"
        : "--set DIR is required: the question set folder, with questions.yaml (see evals/README.md)",
    );
  if (what === "recall") return runRecall(ctx, opts.set, opts);
  const result = await evalMine(ctx, {
    set: opts.set,
    models: parseModels(opts.models),
    runs: parseRuns(opts.runs),
    margin: parseMargin(opts.margin),
  });
  const reports = await writeReports(ctx.config.reports, result);
  return { data: toJson(result, reports), text: renderText(result, reports), exitCode: ExitCode.ok };
}

export function parseModels(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const models = String(value)
    .split(",")
    .map((m) => m.trim())
    .filter(Boolean);
  if (models.length === 0)
    throw new UsageError("BAD_MODELS", `--models "${value}" names no model; expected a,b,c`);
  const twice = models.find((m, i) => models.indexOf(m) !== i);
  if (twice) throw new UsageError("BAD_MODELS", `--models names ${twice} twice`);
  return models;
}

export function parseRuns(value: unknown): number {
  const n = Number(value ?? 1);
  if (!Number.isInteger(n) || n < 1 || n > 20)
    throw new UsageError(
      "BAD_RUNS",
      `--runs "${String(value)}" is not valid; expected a whole number from 1 to 20`,
    );
  return n;
}

export function parseMargin(value: unknown): number {
  const n = Number(value ?? 0.05);
  if (!Number.isFinite(n) || n < 0 || n > 1 || String(value ?? "0").trim() === "")
    throw new UsageError(
      "BAD_MARGIN",
      `--margin "${String(value)}" is not valid; expected an F1 difference from 0 to 1, e.g. 0.05`,
    );
  return n;
}

async function runRecall(ctx: Context, set: string, opts: Record<string, unknown>): Promise<CommandOutput> {
  const engine = String(opts.engine ?? "kb");
  if (!ENGINES.includes(engine as Engine))
    throw new UsageError("BAD_ENGINE", `--engine "${engine}" is not valid; expected ${ENGINES.join(" or ")}`);
  const result = await evalRecall(ctx, {
    set,
    engine: engine as Engine,
    k: parseK(opts.k),
    expand: opts.expand !== false,
    openclaw: {
      command: typeof opts.openclaw === "string" ? opts.openclaw : undefined,
      home: typeof opts.openclawHome === "string" ? opts.openclawHome : undefined,
    },
  });
  const reports = await writeRecallReports(ctx.config.reports, result);
  return { data: recallJson(result, reports), text: renderRecall(result, reports), exitCode: ExitCode.ok };
}
