import { verifyFiles } from "../../audit/verify.js";
import { UsageError } from "../../errors.js";
import type { Context } from "../../runtime/context.js";
import type { CommandInput, CommandOutput } from "../types.js";

export async function run(ctx: Context, input: CommandInput): Promise<CommandOutput> {
  const paths = input.args.flat();
  if (paths.length === 0) throw new UsageError("VERIFY_NO_PATH", "name at least one brain file to verify");
  const by = typeof input.opts.by === "string" ? input.opts.by : null;
  const results = await verifyFiles(ctx.config.brain, paths, {
    today: ctx.clock.today(),
    by,
    dryRun: input.opts.dryRun === true,
    cwd: process.cwd(),
    maxFileBytes: ctx.config.limits.maxFileBytes,
  });
  const verb = input.opts.dryRun ? "would verify" : "verified";
  const text = results
    .map(
      (r) =>
        `${r.changed ? verb : "already verified today"} ${r.path} (${ctx.clock.today()}${by ? `, by ${by}` : ""})`,
    )
    .join("\n");
  return {
    data: { today: ctx.clock.today(), by, files: results.map((r) => ({ path: r.path, changed: r.changed })) },
    text,
  };
}
