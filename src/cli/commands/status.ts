import { type ReadsReport, readsReport, staleReadLine, UNREAD_DAYS } from "../../audit/reads.js";
import { activeDemotions, type Demotion } from "../../autonomy/demotions.js";
import { scanFromContext } from "../../brain/index.js";
import { ExitCode, KbError, UsageError } from "../../errors.js";
import { checkRecall, lastRecallCheck } from "../../eval/recall/check.js";
import { type Health, type JobHealth, loadHealth } from "../../ops/health.js";
import type { Context } from "../../runtime/context.js";
import { readsSince, timesRead } from "../../search/reads.js";
import { unansweredLine, unansweredSearches } from "../../search/record.js";
import { isStale, reviewJudge } from "../../search/review.js";
import type { CommandInput, CommandOutput } from "../types.js";

/**
 * `kb status`: this host's health (the same model as the daemon's `GET /healthz`). Exit 0 when
 * healthy; 1 when a job is overdue, failing or needs a person, or a sync conflict is unresolved,
 * so a monitor can run it as is.
 */
export async function run(ctx: Context, input: CommandInput): Promise<CommandOutput> {
  if (input.opts.recall === true) {
    if (!ctx.config.recall.set)
      throw new UsageError(
        "RECALL_NOT_CONFIGURED",
        "--recall needs a question set: set recall.set in the config (see the README)",
      );
    await checkRecall(ctx);
  }
  const health = await loadHealth(ctx);
  const noRuns = health.jobs.every((j) => j.lastRun === null);
  const recall = ctx.config.recall.set ? lastRecallCheck(ctx.db()) : null;
  if (recall && recall.problems.length > 0) {
    health.healthy = false;
    health.problems.push(...recall.problems.map((p) => `recall check: ${p}`));
  }
  const weekAgo = new Date(ctx.clock.now().getTime() - 7 * 86_400_000).toISOString();
  const unanswered = unansweredSearches(ctx.db(), ctx.config.brain, weekAgo, 5);
  const demoted = [...activeDemotions(ctx.db()).values()];
  const reads = statusReads(ctx);
  let text = renderStatus(health, noRuns ? ctx.config.state : null);
  if (demoted.length > 0) text += `\n\n${demotedLines(demoted).join("\n")}`;
  if (unanswered.length > 0)
    text += `\n\nquestions the brain did not answer this week (kb search, kb mcp, OpenClaw memory search):\n${unanswered.map((u) => `  ${unansweredLine(u, "this week")}`).join("\n")}`;
  const readLines = renderReads(reads);
  if (readLines.length > 0) text += `\n\n${readLines.join("\n")}`;
  return {
    data: {
      ...health,
      ...(demoted.length > 0 ? { demoted } : {}),
      ...(ctx.config.recall.set ? { recall } : {}),
      unanswered,
      reads,
    },
    text: ctx.config.recall.set ? `${text}\n\n${recallLine(recall)}` : text,
    exitCode: health.healthy ? ExitCode.ok : ExitCode.failure,
  };
}

/** The top of the audit's read lists, from this host's record of what agents read. */
function statusReads(ctx: Context): ReadsReport {
  const judge = reviewJudge(ctx.config, ctx.clock.today());
  // Nothing read yet, or a brain this host cannot scan (the health checks say why): no file lists.
  let docs: ReturnType<typeof scanFromContext>["docs"] = [];
  if (readsSince(ctx.db(), ctx.config.brain) !== null) {
    try {
      docs = scanFromContext(ctx).docs;
    } catch (error) {
      if (!(error instanceof KbError)) throw error;
    }
  }
  const files = docs.map((d) => {
    const review = judge(d.path, d.frontmatter?.data ?? {});
    return { path: d.path, owner: review.owner, stale: isStale(review.state), due: review.due };
  });
  return readsReport(ctx.db(), {
    brain: ctx.config.brain,
    now: ctx.clock.now(),
    files,
    recording: ctx.config.search.record,
    limit: 3,
  });
}

function renderReads(reads: ReadsReport): string[] {
  const lines: string[] = [];
  if (reads.staleRead.length > 0)
    lines.push(
      "stale files agents read most this month (review these first):",
      ...reads.staleRead.map((r) => `  ${staleReadLine(r)}`),
    );
  if (reads.mostRead.length > 0)
    lines.push(
      "most read this month:",
      ...reads.mostRead.map((r) => `  ${r.path}: ${timesRead(r.reads)} (${r.callers.join(", ")})`),
    );
  if (reads.unread && reads.unread.length > 0)
    lines.push(
      `never read in ${UNREAD_DAYS} days (${reads.unread.length}; archive candidates, kb audit lists them all):`,
      ...reads.unread.slice(0, 3).map((p) => `  ${p}`),
    );
  if (!reads.recording) lines.push("reads: not kept on this host (search.record: false)");
  return lines;
}

/** Folders kb put back in review mode after a person reverted one of its applied changes. */
function demotedLines(demoted: Demotion[]): string[] {
  return [
    `folders back in review mode (${demoted.length}); kb autonomy lift FOLDER once the cause is fixed:`,
    ...demoted.map(
      (d) =>
        `  ${d.folder}  since ${d.at.slice(0, 10)}: ${d.author} reverted ${d.path} in ${d.commit.slice(0, 10)} "${d.subject}"`,
    ),
  ];
}

function recallLine(recall: ReturnType<typeof lastRecallCheck>): string {
  if (!recall)
    return "recall check: not run yet (kb run nightly runs it at the end; kb status --recall runs it now)";
  const when = recall.at.replace("T", " ").replace(/:\d\d(\.\d+)?Z$/, "Z");
  return `recall check ${when}: ${recall.line}${recall.stale.length > 0 ? `\n  outdated answers: ${recall.stale.join(", ")}` : ""}`;
}

const STATE_LABEL: Record<JobHealth["state"], string> = {
  ok: "ok",
  waiting: "waiting",
  running: "running",
  overdue: "OVERDUE",
  failing: "FAILING",
  "needs-human": "NEEDS A PERSON",
  "not-configured": "not configured",
};

/** The status page for people; `emptyState` names the state folder when no run was ever recorded. */
export function renderStatus(health: Health, emptyState: string | null): string {
  const when = (iso: string | null) => (iso ? iso.replace("T", " ").replace(/:\d\d(\.\d+)?Z$/, "Z") : "-");
  const rows = health.jobs.map((j) => [
    j.scope ? `${j.job}:${j.scope}` : j.job,
    STATE_LABEL[j.state],
    j.lastRun ? `${j.lastRun.status} ${when(j.lastRun.startedAt)} (run ${j.lastRun.id})` : "never",
    when(j.lastSuccess),
    j.schedule,
    note(j),
  ]);
  const lines = [
    `kb on ${health.host}, ${when(health.checkedAt)}: ${health.healthy ? "healthy" : `UNHEALTHY (${health.problems.length} problem${health.problems.length === 1 ? "" : "s"})`}`,
    "",
    ...columns(["job", "state", "last run", "last success", "schedule", "note"], rows),
  ];
  if (emptyState) lines.push("", `no runs recorded yet in ${emptyState}`);
  if (health.conflicts.count > 0) {
    lines.push("", `unresolved sync conflicts (${health.conflicts.count}); fix each file, then kb sync:`);
    for (const f of health.conflicts.files) lines.push(`  ${f}`);
  }
  if (health.contested.length > 0) {
    lines.push(
      "",
      `contradictions for a person (${health.contested.length}); keep the current side with kb settle ID --keep FILE:LINE:`,
    );
    for (const c of health.contested)
      lines.push(
        `  #${c.id}  “${c.a.text}” (${c.a.path}:${c.a.line})  vs  “${c.b.text}” (${c.b.path}:${c.b.line})`,
      );
  }
  if (health.reviewBranches.length > 0) {
    lines.push(
      "",
      `review branches waiting (${health.reviewBranches.length}); kb accept BRANCH or kb reject BRANCH:`,
    );
    for (const b of health.reviewBranches) lines.push(`  ${b.branch}  ${b.tip}  ${when(b.committedAt)}`);
  }
  if (!health.healthy) {
    lines.push("", "problems:");
    for (const p of health.problems) lines.push(`  ${p}`);
  }
  return lines.join("\n");
}

function note(j: JobHealth): string {
  if (j.reason) return firstLine(j.reason);
  if (j.state === "overdue") return `expected every ${every(j.everyMinutes)}`;
  if (j.state === "waiting") return "has not run yet";
  return "";
}

function every(minutes: number): string {
  if (minutes < 1) return `${Math.round(minutes * 60)} s`;
  if (minutes < 120) return `${Math.round(minutes)} min`;
  if (minutes < 2880) return `${Math.round(minutes / 60)} h`;
  return `${Math.round(minutes / 1440)} days`;
}

function firstLine(text: string): string {
  const line = text.split("\n")[0]!;
  return line.length > 100 ? `${line.slice(0, 99)}…` : line;
}

/** Left-aligned columns; the last column is not padded. */
function columns(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows].map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd(),
  );
}
