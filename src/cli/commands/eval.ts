import { renderText, toJson, writeReports } from "../../eval/report.js";
import { evalMine } from "../../eval/run.js";
import type { Context } from "../../runtime/context.js";
import { ExitCode, UsageError } from "../../runtime/errors.js";
import type { CommandInput, CommandOutput } from "../types.js";

/** `kb eval mine --set DIR [--models a,b] [--runs N] [--margin F1]`: choose the mining model by measurement. */
export async function run(ctx: Context, { args, opts }: CommandInput): Promise<CommandOutput> {
  const what = args[0];
  if (what !== "mine")
    throw new UsageError(
      "EVAL_UNKNOWN",
      `kb eval ${what ?? ""}: unknown evaluation; expected "kb eval mine"`,
    );
  if (typeof opts.set !== "string" || opts.set === "")
    throw new UsageError(
      "EVAL_NO_SET",
      "--set DIR is required: the labelled set folder, with expected.yaml (see evals/README.md)",
    );
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
