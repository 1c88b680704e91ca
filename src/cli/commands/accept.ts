import { refreshAutonomy } from "../../autonomy/refresh.js";
import { ConfigError, ExitCode } from "../../errors.js";
import { locateRepo } from "../../mine/git-output.js";
import { acceptBranch, assertReviewBranch } from "../../mine/review-branches.js";
import type { Context } from "../../runtime/context.js";
import type { CommandInput, CommandOutput } from "../types.js";

export async function run(ctx: Context, { args, opts }: CommandInput): Promise<CommandOutput> {
  const branch = args[0] ?? "";
  assertReviewBranch(branch);
  const repo = await locateRepo(ctx.config.brain);
  if (!repo) throw new ConfigError("NOT_A_REPO", `the brain ${ctx.config.brain} is not in a git repository`);
  const r = await acceptBranch(repo, branch, ctx.config.host, opts.dryRun === true);
  // Record the outcome of every proposal on the branch now (kb autonomy counts them).
  if (r.merged) await refreshAutonomy(ctx, ctx.log);
  const head = r.merged
    ? `merged ${branch} (${r.commits.length} commit(s), ${r.files.length} file(s)) and deleted the branch`
    : `would merge ${branch}: ${r.commits.length} commit(s), ${r.files.length} file(s)`;
  return { data: r, text: [head, ...r.files.map((f) => `  ${f}`)].join("\n"), exitCode: ExitCode.ok };
}
