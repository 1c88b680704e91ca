import type { Config } from "../../config/load.js";
import { errorMessage } from "../../errors.js";
import { raiseAlert, resolveAlert } from "../../runtime/alerts.js";
import type { Context } from "../../runtime/context.js";
import type { Db } from "../../state/db.js";
import { finishRun, startRun } from "../../state/runs.js";
import { headline } from "./report.js";
import { evalRecall, type RecallResult } from "./run.js";

export const RECALL_JOB = "recall";
const ALERT_KEY = "recall";

export interface RecallCheck {
  recall: number;
  staleHitRate: number | null;
  previousRecall: number | null;
  /** Why the check did not pass (empty when it did). */
  problems: string[];
  missed: string[];
  stale: string[];
  line: string;
}

/** The thresholds of `recall.*` applied to a run. Pure. */
export function judgeRecall(
  config: Pick<Config, "recall">["recall"],
  result: Pick<RecallResult, "k" | "score">,
  previousRecall: number | null,
): string[] {
  const problems: string[] = [];
  const pct = (v: number) => `${Math.round(v * 1000) / 10}%`;
  const { recall, staleHitRate } = result.score;
  if (recall < config.minRecall)
    problems.push(`recall@${result.k} is ${pct(recall)}, below recall.minRecall ${pct(config.minRecall)}`);
  if (previousRecall !== null && previousRecall - recall > config.maxDrop)
    problems.push(
      `recall@${result.k} dropped from ${pct(previousRecall)} to ${pct(recall)} since the last check`,
    );
  if (staleHitRate !== null && staleHitRate > config.maxStaleHitRate)
    problems.push(
      `outdated facts reach agents: stale-hit rate ${pct(staleHitRate)} (recall.maxStaleHitRate ${pct(config.maxStaleHitRate)})`,
    );
  return problems;
}

/** The last recorded check, for `kb status`. */
export function lastRecallCheck(db: Db): (RecallCheck & { at: string }) | null {
  const row = db
    .prepare(
      "SELECT ended_at, summary FROM runs WHERE job = ? AND status IN ('ok', 'needs-human') ORDER BY id DESC LIMIT 1",
    )
    .get(RECALL_JOB) as { ended_at: string; summary: string | null } | undefined;
  if (!row?.summary) return null;
  return { at: row.ended_at, ...(JSON.parse(row.summary) as RecallCheck) };
}

/**
 * Run the configured question set, record the result as a `recall` run, and raise an alert when
 * recall drops or stale hits appear (resolved once a check passes again). Null when no set is
 * configured.
 */
export async function checkRecall(ctx: Context): Promise<RecallCheck | null> {
  const config = ctx.config.recall;
  if (!config.set) return null;
  const db = ctx.db();
  const previous = lastRecallCheck(db);
  const id = startRun(db, { job: RECALL_JOB, host: ctx.config.host, startedAt: ctx.clock.now() });
  const deps = { config: ctx.config, db, log: ctx.log, now: ctx.clock.now() };
  try {
    const result = await evalRecall(ctx, {
      set: config.set,
      engine: config.engine,
      k: config.k,
      openclaw: config.openclaw,
    });
    const problems = judgeRecall(config, result, previous?.recall ?? null);
    const check: RecallCheck = {
      recall: result.score.recall,
      staleHitRate: result.score.staleHitRate,
      previousRecall: previous?.recall ?? null,
      problems,
      missed: result.questions.filter((q) => q.rank === null).map((q) => q.id),
      stale: result.questions.filter((q) => q.staleFound.length > 0).map((q) => q.id),
      line: `${result.set.name} (${result.engine}): ${headline(result)}`,
    };
    finishRun(db, id, {
      status: problems.length > 0 ? "needs-human" : "ok",
      endedAt: ctx.clock.now(),
      exitCode: problems.length > 0 ? 3 : 0,
      summary: { ...check },
    });
    if (problems.length > 0)
      await raiseAlert(deps, {
        key: ALERT_KEY,
        kind: "recall",
        message: `recall check: ${problems.join("; ")}`,
      });
    else await resolveAlert(deps, ALERT_KEY, `recall check passes again: ${check.line}`);
    return check;
  } catch (error) {
    finishRun(db, id, {
      status: "failed",
      endedAt: ctx.clock.now(),
      exitCode: 1,
      error: errorMessage(error),
    });
    throw error;
  }
}
