import { minePlan, renderPlan } from "../src/mine/plan-view.js";
import type { MineSummary } from "../src/mine/report.js";
import { type MineOptions, mine } from "../src/mine/run.js";
import type { Context } from "../src/runtime/context.js";
import { runJob } from "../src/runtime/runner.js";
import type { JobResult } from "./types.js";

/**
 * The daily mine job: new agent log entries → redacted chunks → LLM operations → a review branch
 * (or, where autonomy allows, a commit on the main branch). A budget stop is a successful run with
 * `budgetStop: true` in its summary; the next run resumes from the last checkpoint.
 */
export async function run(ctx: Context, options: Record<string, unknown>): Promise<JobResult> {
  const opts = options as MineOptions;
  if (opts.dryRun) {
    const plan = minePlan(ctx, opts);
    return { text: renderPlan(plan), data: plan };
  }
  const result = await runJob(ctx, { job: "mine" }, async (handle) => {
    const s = await mine(ctx, handle, opts);
    const count = (op: string) => s.ops.filter((o) => o.op === op).length;
    const problems = s.sources.flatMap((src) => src.problems.map((p) => ({ agent: src.agent, ...p })));
    return {
      result: s,
      ...(problems.length > 0 ? { status: "needs-human" as const } : {}),
      counts: {
        entriesRead: s.entries.read,
        entriesMined: s.entries.mined,
        added: count("add"),
        superseded: count("supersede") + count("enrich"),
        duplicates: count("duplicate"),
        rejected: s.rejected.length,
        ungrounded: s.rejected.filter((r) => r.reason === "UNGROUNDED").length,
        llmCalls: s.llm.calls,
        llmAttempts: s.llm.attempts,
      },
      summary: {
        budgetStop: s.budgetStop,
        branch: s.branch,
        report: s.report,
        costUsd: Number(s.llm.costUsd.toFixed(6)),
        ...(s.stopReason ? { stopReason: s.stopReason } : {}),
        ...(problems.length > 0 ? { unreadable: problems.slice(0, 20) } : {}),
      },
      ...(s.budgetStop
        ? {
            notice: {
              kind: "budget" as const,
              message: `mining stopped early (${s.stopReason ?? "budget reached"}); the next run resumes from the last checkpoint`,
            },
          }
        : {}),
    };
  });
  const s = { ...result.result, runId: result.runId };
  const count = (op: string) => s.ops.filter((o) => o.op === op).length;
  const data = mineData(s);
  const text = [
    `mine: ${count("add")} added, ${count("supersede") + count("enrich")} superseded, ${count("duplicate")} already known, ${s.rejected.length} rejected` +
      ` from ${s.entries.mined}/${s.entries.read} new entries; ${s.llm.calls} LLM calls, $${s.llm.costUsd.toFixed(4)}`,
    s.branch
      ? `review branch ${s.branch} (kb accept ${s.branch} | kb reject ${s.branch}); report ${s.report}`
      : s.report
        ? `report ${s.report}`
        : "",
    s.budgetStop
      ? `warning: stopped early, ${s.stopReason}; the next run resumes from the last checkpoint`
      : "",
    ...s.sources.flatMap((src) => [
      ...src.notes.map((n) => `warning: ${src.agent}: ${n}`),
      ...src.problems.map(
        (p) =>
          `needs a person: ${src.agent} ${p.file} session ${p.session} seq ${p.seq} (row ${p.row}): ${p.reason}; its watermark stays before it`,
      ),
    ]),
  ]
    .filter(Boolean)
    .join("\n");
  const status = s.sources.some((src) => src.problems.length > 0)
    ? ("needs-human" as const)
    : ("ok" as const);
  return { status, counts: result.counts, summary: result.summary, text, data };
}

/** The `--json` shape of a mine run. */
export function mineData(s: MineSummary & { report: string | null }) {
  return {
    runId: s.runId,
    mode: s.mode,
    entries: s.entries,
    llm: s.llm,
    usage: s.usage,
    ops: s.ops.map((o) => ({
      op: o.op,
      path: o.path,
      text: o.text,
      supersedes: o.supersedes ?? null,
      ...(o.note ? { note: o.note } : {}),
    })),
    rejected: s.rejected.map((r) => ({ reason: r.reason, detail: r.detail })),
    branch: s.branch,
    report: s.report,
    commits: s.commits,
    budgetStop: s.budgetStop,
    stopReason: s.stopReason,
    sources: s.sources,
  };
}

export type MineData = ReturnType<typeof mineData>;
