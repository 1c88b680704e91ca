import { type UndoFileResult, undoRun } from "../../dedup/undo.js";
import { ExitCode, UsageError } from "../../errors.js";
import type { Context } from "../../runtime/context.js";
import { count } from "../../runtime/plural.js";
import { recentRuns } from "../../state/runs.js";
import type { CommandInput, CommandOutput } from "../types.js";

export async function run(ctx: Context, input: CommandInput): Promise<CommandOutput> {
  const raw = input.args[0] ?? "";
  const runId = Number(raw);
  if (!Number.isInteger(runId) || runId <= 0) {
    throw new UsageError(
      "UNDO_BAD_RUN",
      `"${raw}" is not a run id; expected the number of a dedup, consolidate or settle run. ${recentDedupRuns(ctx)}`,
    );
  }
  const result = await undoRun(ctx.db(), runId, {
    now: ctx.clock.now().toISOString(),
    dryRun: input.opts.dryRun === true,
    brain: ctx.config.brain,
  });
  if (result.files.length === 0 && result.alreadyUndone === 0) {
    throw new UsageError(
      "UNDO_NOTHING",
      `run ${runId} removed nothing kb can restore (dedup, consolidate and settle runs that changed the live brain leave what undo needs). ${recentDedupRuns(ctx)}`,
    );
  }
  const dry = input.opts.dryRun === true;
  const facts = result.files.reduce((n, f) => n + f.restored.length, 0);
  const files = result.files.filter((f) => f.restored.length > 0).length;
  const left = result.files.reduce((n, f) => n + f.notRestored.length, 0);
  const lines = [
    `undo run ${runId}: ${dry ? "would restore" : "restored"} ${count(facts, "fact")} in ${count(files, "file")}` +
      (left > 0 ? `, ${count(left, "fact")} not restored` : "") +
      (result.alreadyUndone > 0 ? `, ${count(result.alreadyUndone, "file")} already restored` : ""),
  ];
  for (const f of result.files) lines.push(...describeFile(f));
  return {
    data: result,
    text: lines.join("\n"),
    exitCode: left > 0 ? ExitCode.needsHuman : ExitCode.ok,
  };
}

/** The last few runs that changed the live brain (dedup, consolidate, settle), for a message that needs a run id. */
function recentDedupRuns(ctx: Context): string {
  const changed = (r: ReturnType<typeof recentRuns>[number]) =>
    r.job === "dedup"
      ? (r.counts.removed ?? 0)
      : r.job === "consolidate" || r.job === "settle"
        ? (r.counts.superseded ?? 0)
        : 0;
  const runs = recentRuns(ctx.db(), 200)
    .filter((r) => changed(r) > 0)
    .slice(0, 5);
  if (runs.length === 0) return "No run on this host has removed or superseded anything yet.";
  const when = (iso: string) => iso.slice(0, 16).replace("T", " ");
  return `Recent runs that changed the brain: ${runs
    .map(
      (r) =>
        `${r.id} (${r.job}${r.scope ? ` ${r.scope}` : ""}, ${when(r.startedAt)}, ${count(changed(r), "fact")})`,
    )
    .join(", ")}; kb status shows each job's last run id.`;
}

function describeFile(f: UndoFileResult): string[] {
  const quote = (t: string) => `“${t}”`;
  switch (f.outcome) {
    case "restored":
      return [`  ${f.path}: exactly as before the run`];
    case "already":
      return [`  ${f.path}: already as before the run; nothing to do`];
    default: {
      const head =
        f.outcome === "unchanged"
          ? `  ${f.path}: not restored`
          : `  ${f.path}: edited since the run; put back ${f.restored.length} of ${f.restored.length + f.notRestored.length} fact(s) in place, later edits kept`;
      return [
        head,
        ...f.restored.map((t) => `    put back ${quote(t)}`),
        ...f.notRestored.map((n) => `    not put back ${quote(n.text)}: ${n.reason}`),
      ];
    }
  }
}
