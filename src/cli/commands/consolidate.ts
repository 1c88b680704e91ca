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
  // Exit 3 while a contradiction waits for a person, so a script sees it; the nightly job itself is ok.
  const open = (job.data as { contested: unknown[] }).contested.length > 0;
  return {
    data: job.data,
    text: job.text,
    exitCode: job.status === "needs-human" || open ? ExitCode.needsHuman : ExitCode.ok,
  };
}
