import { ExitCode } from "../../errors.js";
import { runDaemon } from "../../ops/daemon.js";
import { alertOverdue } from "../../ops/health-alerts.js";
import type { Context } from "../../runtime/context.js";
import type { CommandInput, CommandOutput } from "../types.js";

export async function run(ctx: Context, input: CommandInput): Promise<CommandOutput> {
  const health = typeof input.opts.health === "string" ? input.opts.health : undefined;
  const summary = await runDaemon(ctx, { health, onHealth: (h) => alertOverdue(ctx, h) });
  const failed = summary.runs.filter((r) => r.status === "failed").length;
  return {
    data: summary,
    text: `kb daemon stopped cleanly after ${summary.runs.length} run(s)${failed ? `, ${failed} failed (see kb status)` : ""}`,
    exitCode: ExitCode.ok,
  };
}
