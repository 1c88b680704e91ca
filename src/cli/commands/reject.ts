import { refreshAutonomy } from "../../autonomy/refresh.js";
import { ConfigError, ExitCode } from "../../errors.js";
import { locateRepo } from "../../mine/git-output.js";
import { assertReviewBranch, rejectBranch } from "../../mine/review-branches.js";
import type { Context } from "../../runtime/context.js";
import type { CommandInput, CommandOutput } from "../types.js";

export async function run(ctx: Context, { args, opts }: CommandInput): Promise<CommandOutput> {
  const branch = args[0] ?? "";
  assertReviewBranch(branch);
  const repo = await locateRepo(ctx.config.brain);
  if (!repo) throw new ConfigError("NOT_A_REPO", `the brain ${ctx.config.brain} is not in a git repository`);
  const r = await rejectBranch(repo, branch, opts.dryRun === true);
  // Record the outcome of every proposal on the branch now (kb autonomy counts them).
  if (r.deleted) await refreshAutonomy(ctx, ctx.log);
  const text = r.deleted
    ? `dropped ${branch} (${r.commits.length} commit(s)); its tip is kept as ${r.keptAs}`
    : `would drop ${branch}: ${r.commits.length} commit(s)`;
  return { data: r, text, exitCode: ExitCode.ok };
}
