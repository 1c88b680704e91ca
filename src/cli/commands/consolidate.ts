import { run as runConsolidateJob } from "../../../jobs/consolidate.js";
import { ExitCode, UsageError } from "../../errors.js";
import type { Context } from "../../runtime/context.js";
import type { CommandInput, CommandOutput } from "../types.js";

export async function run(ctx: Context, input: CommandInput): Promise<CommandOutput> {
  const mode = input.opts.mode;
  if (mode !== undefined && mode !== "review" && mode !== "apply")
    throw new UsageError(
      "CONSOLIDATE_BAD_MODE",
      `--mode "${String(mode)}" is not valid; expected review or apply`,
    );
  const job = await runConsolidateJob(ctx, { dryRun: input.opts.dryRun === true, mode });
  return {
    data: job.data,
    text: job.text,
    exitCode: job.status === "needs-human" ? ExitCode.needsHuman : ExitCode.ok,
  };
}
