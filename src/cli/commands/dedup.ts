import { type combine, run as runDedupJob } from "../../../jobs/dedup.js";
import { dedupProgress } from "../../dedup/progress.js";
import { ExitCode } from "../../errors.js";
import type { Context } from "../../runtime/context.js";
import type { CommandInput, CommandOutput } from "../types.js";

export async function run(ctx: Context, input: CommandInput): Promise<CommandOutput> {
  const progress = dedupProgress({ enabled: !ctx.options.json && !ctx.options.quiet });
  try {
    const job = await runDedupJob(ctx, {
      scope: typeof input.opts.scope === "string" ? input.opts.scope : undefined,
      dryRun: input.opts.dryRun === true,
      onScope: progress.onScope,
    });
    const data = job.data as ReturnType<typeof combine>;
    return {
      data,
      text: job.text,
      exitCode: job.status === "needs-human" ? ExitCode.needsHuman : ExitCode.ok,
    };
  } finally {
    progress.stop();
  }
}
