import { undoRun } from "../../dedup/undo.js";
import type { Context } from "../../runtime/context.js";
import { ExitCode, UsageError } from "../../runtime/errors.js";
import type { CommandInput, CommandOutput } from "../types.js";

export async function run(ctx: Context, input: CommandInput): Promise<CommandOutput> {
  const raw = input.args[0] ?? "";
  const runId = Number(raw);
  if (!Number.isInteger(runId) || runId <= 0) {
    throw new UsageError(
      "UNDO_BAD_RUN",
      `"${raw}" is not a run id; expected a number such as 12 (see kb status)`,
    );
  }
  const result = await undoRun(ctx.db(), runId, {
    now: ctx.clock.now().toISOString(),
    dryRun: input.opts.dryRun === true,
    brain: ctx.config.brain,
  });
  if (result.restored.length === 0 && result.conflicts.length === 0 && result.alreadyUndone === 0) {
    throw new UsageError(
      "UNDO_NOTHING",
      `run ${runId} removed nothing kb can restore (only dedup runs leave tombstones)`,
    );
  }
  const verb = input.opts.dryRun ? "would restore" : "restored";
  const lines = [
    `undo run ${runId}: ${verb} ${result.restored.reduce((n, r) => n + r.facts, 0)} fact(s) in ${result.restored.length} file(s)` +
      (result.alreadyUndone > 0 ? `, ${result.alreadyUndone} file(s) already restored` : ""),
    ...result.restored.map((r) => `  ${r.path}`),
    ...result.conflicts.map((c) => `  ${c.path}: not restored: ${c.reason}`),
  ];
  return {
    data: result,
    text: lines.join("\n"),
    exitCode: result.conflicts.length > 0 ? ExitCode.needsHuman : ExitCode.ok,
  };
}
