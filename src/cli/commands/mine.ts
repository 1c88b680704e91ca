import cliProgress from "cli-progress";
import { run as runMineJob } from "../../../jobs/mine.js";
import { minePlan } from "../../mine/plan-view.js";
import type { Context } from "../../runtime/context.js";
import { ExitCode, UsageError } from "../../runtime/errors.js";
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
  if (opts.plan) {
    const plan = minePlan(ctx, { agent, since });
    const lines = [
      `mine plan: ${plan.totals.chunks} chunk(s), ~${plan.totals.promptTokens} prompt tokens, ~$${plan.totals.costUsd.toFixed(4)}` +
        `${plan.model ? ` with ${plan.model}` : " (no llm.models set)"}; ${plan.entries.mined} of ${plan.entries.read} new entries kept`,
      ...plan.chunks.map(
        (c) =>
          `  ${c.agent}  ${c.file}  ${c.entries} entries  ~${c.promptTokens} tokens  ~$${c.costUsd.toFixed(4)}`,
      ),
    ];
    const kinds = Object.entries(plan.redactions);
    if (kinds.length) lines.push(`secrets redacted: ${kinds.map(([k, n]) => `${k} ×${n}`).join(", ")}`);
    if (!plan.totals.withinBudget)
      lines.push(
        "warning: this is more than one run's budget (mine.budget); the run will stop early and resume next time",
      );
    return { data: plan, text: lines.join("\n"), exitCode: ExitCode.ok };
  }
  const bar = showProgress(ctx)
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
      dryRun: opts.dryRun === true,
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
