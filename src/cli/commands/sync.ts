import { describe, run as runSyncJob } from "../../../jobs/sync.js";
import { ExitCode, errorMessage, exitCodeFor, KbError } from "../../errors.js";
import type { Context } from "../../runtime/context.js";
import { resultKindFor, type SyncResult } from "../../sync/run.js";
import type { CommandInput, CommandOutput } from "../types.js";

/** Exit code of each sync result (documented in `kb sync --help`). */
export const SYNC_EXIT: Record<SyncResult["result"], number> = {
  ok: ExitCode.ok,
  error: ExitCode.failure,
  conflict: ExitCode.needsHuman,
  unsafe: ExitCode.unsafe,
  locked: ExitCode.locked,
  network: ExitCode.transient,
};

export async function run(ctx: Context, input: CommandInput): Promise<CommandOutput> {
  try {
    const job = await runSyncJob(ctx, { dryRun: input.opts.dryRun === true });
    if (input.opts.dryRun) return { data: job.data, text: job.text, exitCode: ExitCode.ok };
    const data = job.data as SyncResult;
    return { data, text: describe(data), exitCode: SYNC_EXIT[data.result] };
  } catch (error) {
    if (!(error instanceof KbError) || error.exitCode === ExitCode.usage) throw error;
    const result = resultKindFor(error);
    const data = {
      result,
      host: ctx.config.host,
      hub: ctx.config.sync.hub ?? null,
      commitsIn: 0,
      commitsOut: 0,
      conflicts: [],
      error: { code: error.code, message: errorMessage(error) },
    };
    return {
      data,
      text: `sync ${result}: ${errorMessage(error)}`,
      exitCode: SYNC_EXIT[result] ?? exitCodeFor(error),
    };
  }
}
