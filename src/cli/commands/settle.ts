import { settle } from "../../consolidate/settle.js";
import { UsageError } from "../../errors.js";
import type { Context } from "../../runtime/context.js";
import type { CommandInput, CommandOutput } from "../types.js";

export async function run(ctx: Context, input: CommandInput): Promise<CommandOutput> {
  const raw = input.args[0] ?? "";
  const id = Number(raw.replace(/^#/, ""));
  if (!Number.isInteger(id) || id <= 0)
    throw new UsageError(
      "SETTLE_BAD_ID",
      `"${raw}" is not a contradiction id; expected a number such as 3 (kb status lists them)`,
    );
  const keep = input.opts.keep;
  if (typeof keep !== "string" || keep === "")
    throw new UsageError("SETTLE_NO_KEEP", "kb settle needs --keep FILE:LINE: the side that is current");
  const dryRun = input.opts.dryRun === true;
  const r = await settle(ctx, id, keep, dryRun);
  const lines = [
    `settle #${id}${dryRun ? " (dry run)" : ` (run ${r.runId})`}: kept “${r.kept.text}” (${r.kept.path})`,
    ...r.applied.map(
      (a) =>
        `  ${a.path}: “${a.old}” ${a.rewritten ? `rewritten to “${a.rewritten}”` : `archived to ${a.archivedTo}`}`,
    ),
  ];
  return { data: r, text: lines.join("\n") };
}
