import cliProgress from "cli-progress";
import { run as runMineJob } from "../../../jobs/mine.js";
import { ExitCode, UsageError } from "../../errors.js";
import type { Context } from "../../runtime/context.js";
import type { CommandInput, CommandOutput } from "../types.js";

export async function run(ctx: Context, { opts }: CommandInput): Promise<CommandOutput> {
  const agent = typeof opts.agent === "string" ? opts.agent : undefined;
  const since = typeof opts.since === "string" ? opts.since : undefined;
  if (since !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(since)) {
    throw new UsageError("BAD_SINCE", `--since "${since}" is not a date; expected YYYY-MM-DD`);
  }
  const mode = opts.mode;
  if (mode !== undefined && mode !== "review" && mode !== "apply") {
    throw new UsageError("BAD_MODE", `--mode "${String(mode)}" is not valid; expected review or apply`);
  }
  if (opts.plan) ctx.log.warn("kb mine --plan is now kb mine --dry-run, as for every other command");
  const dryRun = opts.dryRun === true || opts.plan === true;
  const bar =
    !dryRun && showProgress(ctx)
      ? new cliProgress.SingleBar({
          format: "mining {bar} {value}/{total} chunks",
          clearOnComplete: true,
          stream: process.stderr,
        })
      : null;
  let started = false;
  try {
    const result = await runMineJob(ctx, {
      agent,
      since,
      mode,
      dryRun,
      onProgress: (done: number, total: number) => {
        if (!bar) return;
        if (!started) bar.start(total, 0);
        started = true;
        bar.update(done);
      },
    });
    return {
      data: result.data,
      text: result.text,
      exitCode: result.status === "needs-human" ? ExitCode.needsHuman : ExitCode.ok,
    };
  } finally {
    if (started) bar?.stop();
  }
}

function showProgress(ctx: Context): boolean {
  return process.stderr.isTTY === true && !ctx.options.json && !ctx.options.quiet;
}
