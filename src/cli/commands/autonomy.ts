import { activeDemotions, lift } from "../../autonomy/demotions.js";
import { refreshAutonomy } from "../../autonomy/refresh.js";
import { autonomyReport, renderAutonomyTable } from "../../autonomy/report.js";
import { ExitCode, UsageError } from "../../errors.js";
import { resolveAlert } from "../../runtime/alerts.js";
import type { Context } from "../../runtime/context.js";
import type { CommandInput, CommandOutput } from "../types.js";

/**
 * `kb autonomy`: per folder, what became of kb's proposals and applied changes and whether the
 * folder has earned apply mode; `kb autonomy lift FOLDER` ends a demotion. kb never changes
 * `mine.autonomy` itself.
 */
export async function run(ctx: Context, { args }: CommandInput): Promise<CommandOutput> {
  const [action, folder, ...rest] = args;
  if (action === undefined) return report(ctx);
  if (action !== "lift")
    throw new UsageError(
      "AUTONOMY_BAD_ACTION",
      `kb autonomy ${action}: unknown action; expected kb autonomy or kb autonomy lift FOLDER`,
    );
  const demoted = activeDemotions(ctx.db());
  const names = [...demoted.keys()].join(", ") || "none";
  if (!folder || rest.length > 0)
    throw new UsageError(
      "AUTONOMY_LIFT_FOLDER",
      `kb autonomy lift needs one folder; demoted folders: ${names}`,
    );
  if (!demoted.has(folder))
    throw new UsageError("AUTONOMY_NOT_DEMOTED", `${folder} is not demoted; demoted folders: ${names}`);
  const at = ctx.clock.now().toISOString();
  lift(ctx.db(), folder, at);
  await resolveAlert(
    { config: ctx.config, db: ctx.db(), log: ctx.log, now: ctx.clock.now() },
    `demoted:${folder}`,
    `${folder} runs in its mine.autonomy mode again (lifted by a person)`,
  );
  await refreshAutonomy(ctx, ctx.log);
  const d = demoted.get(folder)!;
  return {
    data: { lifted: folder, demotion: d, at },
    text: `lifted the demotion of ${folder} (from ${d.commit.slice(0, 10)}); it runs in its mine.autonomy mode again`,
    exitCode: ExitCode.ok,
  };
}

async function report(ctx: Context): Promise<CommandOutput> {
  await refreshAutonomy(ctx, ctx.log);
  const r = autonomyReport(ctx);
  const s = r.schedule;
  const text = [
    `autonomy as of ${r.asOf.slice(0, 10)}: promote after ${s.shadowDays} days in review with ${s.minReviewed} reviewed proposals and none of the last ${s.cleanLast} rejected or edited; one folder per ${s.spacingHours} hours`,
    "",
    ...renderAutonomyTable(r),
    "",
    "kb recommends; change mine.autonomy in the config to promote a folder. A revert of an applied change puts its folder back in review at once (kb autonomy lift FOLDER ends that).",
  ].join("\n");
  return { data: r, text, exitCode: ExitCode.ok };
}
