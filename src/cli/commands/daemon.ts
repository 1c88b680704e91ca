import { ExitCode } from "../../errors.js";
import { checkDaemonClock, runDaemon } from "../../ops/daemon.js";
import { alertOverdue } from "../../ops/health-alerts.js";
import type { Context } from "../../runtime/context.js";
import type { CommandInput, CommandOutput } from "../types.js";
import { serveTeam } from "./mcp.js";

export async function run(ctx: Context, input: CommandInput): Promise<CommandOutput> {
  const health = typeof input.opts.health === "string" ? input.opts.health : undefined;
  checkDaemonClock(ctx);
  // The team's MCP server beside the jobs (and /healthz): one process for a host to keep running.
  const mcp =
    input.opts.mcp === undefined
      ? null
      : await serveTeam(ctx, input.opts.mcp === true ? undefined : String(input.opts.mcp));
  const summary = await runDaemon(ctx, { health, onHealth: (h) => alertOverdue(ctx, h) }).finally(() =>
    mcp?.close(),
  );
  const failed = summary.runs.filter((r) => r.status === "failed").length;
  return {
    data: summary,
    text: `kb daemon stopped cleanly after ${summary.runs.length} run(s)${failed ? `, ${failed} failed (see kb status)` : ""}`,
    exitCode: ExitCode.ok,
  };
}
