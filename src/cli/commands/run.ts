import { jobs } from "../../../jobs/index.js";
import { UsageError } from "../../errors.js";
import { NIGHTLY, runPipeline } from "../../ops/pipeline.js";
import type { Context } from "../../runtime/context.js";
import type { CommandInput, CommandOutput } from "../types.js";

export async function run(ctx: Context, input: CommandInput): Promise<CommandOutput> {
  const target = input.args[0];
  if (target === undefined) {
    // A bare `kb run` used to mean the whole pipeline: too much to do by accident.
    throw new UsageError("RUN_NO_JOB", `name a job to run; expected one of:\n${jobList()}`);
  }
  const names = target === "nightly" ? NIGHTLY : [target];
  if (target !== "nightly" && !jobs.some((j) => j.name === target)) {
    throw new UsageError("UNKNOWN_JOB", `no job named "${target}"; expected one of:\n${jobList()}`);
  }
  const result = await runPipeline(ctx, names, { dryRun: input.opts.dryRun === true });
  const mark = { ok: "ok     ", "needs-human": "ATTEND ", failed: "FAILED ", skipped: "skipped" } as const;
  const lines = result.steps.flatMap((s) => [
    `${mark[s.status]} ${s.job}${s.reason ? ` — ${s.reason}` : ""}`,
    ...(s.text ? s.text.split("\n").map((l) => `          ${l}`) : []),
  ]);
  return { data: result, text: lines.join("\n"), exitCode: result.exitCode };
}

/** The jobs `kb run` takes, one a line with what each does. */
function jobList(): string {
  const rows: [string, string][] = [
    ["nightly", `the nightly pipeline, continuing past failures: ${NIGHTLY.join(" → ")}`],
    ...jobs.map((j): [string, string] => [j.name, j.summary]),
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows.map(([name, what]) => `  ${name.padEnd(width)}  ${what}`).join("\n");
}
