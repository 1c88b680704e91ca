import { jobs } from "../../../jobs/index.js";
import { NIGHTLY, runPipeline } from "../../ops/pipeline.js";
import type { Context } from "../../runtime/context.js";
import { UsageError } from "../../runtime/errors.js";
import type { CommandInput, CommandOutput } from "../types.js";

export async function run(ctx: Context, input: CommandInput): Promise<CommandOutput> {
  const target = input.args[0] ?? "nightly";
  const names = target === "nightly" ? NIGHTLY : [target];
  if (target !== "nightly" && !jobs.some((j) => j.name === target)) {
    throw new UsageError(
      "UNKNOWN_JOB",
      `no job named "${target}"; expected nightly or one of: ${jobs.map((j) => j.name).join(", ")}`,
    );
  }
  const result = await runPipeline(ctx, names, { dryRun: input.opts.dryRun === true });
  const mark = { ok: "ok     ", "needs-human": "ATTEND ", failed: "FAILED ", skipped: "skipped" } as const;
  const lines = result.steps.flatMap((s) => [
    `${mark[s.status]} ${s.job}${s.reason ? ` — ${s.reason}` : ""}`,
    ...(s.text ? s.text.split("\n").map((l) => `          ${l}`) : []),
  ]);
  return { data: result, text: lines.join("\n"), exitCode: result.exitCode };
}
