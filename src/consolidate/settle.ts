import { scanFromContext } from "../brain/index.js";
import { stripKbComments } from "../brain/provenance.js";
import { UsageError } from "../errors.js";
import { commitPaths, locateRepo } from "../mine/git-output.js";
import type { Context } from "../runtime/context.js";
import { runJob } from "../runtime/runner.js";
import { type Applied, applyChanges } from "./apply.js";
import { conflictOf, type LiveFact } from "./match.js";
import {
  type ContestedItem,
  contestedById,
  markSettled,
  openContested,
  recordChanges,
  type Side,
} from "./records.js";
import { AUTHOR, liveFacts } from "./run.js";

export interface SettleResult {
  runId: number;
  item: ContestedItem;
  kept: Side;
  applied: Applied[];
  commit: string | null;
}

/**
 * A person settles a contradiction kb could not decide: the side they keep stays, the other is
 * superseded exactly as consolidation would (archived with a pointer, or rewritten when it says
 * more), on the main branch, with a tombstone for `kb undo`.
 */
export async function settle(ctx: Context, id: number, keep: string, dryRun: boolean): Promise<SettleResult> {
  const cfg = ctx.config;
  const item = contestedById(ctx.db(), cfg.brain, id);
  if (item?.status !== "open") {
    const open = openContested(ctx.db(), cfg.brain).map((c) => `#${c.id}`);
    throw new UsageError(
      "SETTLE_NO_ITEM",
      `no open contradiction #${id}${item ? ` (it is ${item.status})` : ""}; open: ${open.join(", ") || "none"} (kb status lists them)`,
    );
  }
  const side = pickSide(item, keep);
  const [kept, other] = side === "a" ? [item.a, item.b] : [item.b, item.a];
  const facts = liveFacts(scanFromContext(ctx).docs);
  const find = (s: Side): LiveFact => {
    const f = facts.find((x) => x.path === s.path && stripKbComments(x.raw) === s.text);
    if (!f)
      throw new UsageError(
        "SETTLE_GONE",
        `${s.path}: “${s.text}” is no longer in the brain; run kb consolidate to refresh the list`,
      );
    return f;
  };
  const winner = find(kept);
  const loser = find(other);
  const spans = conflictOf(loser, winner);
  const outcome = await runJob(ctx, { job: "settle", dryRun }, async (run) => {
    const done = await applyChanges(
      [
        {
          loser,
          winner,
          rule: "settled",
          why: `settled by a person (kb settle ${id} --keep ${kept.path}:${kept.line})`,
          loserValue: spans ? spans.aValue : { start: 0, end: 0 },
          winnerValue: spans ? spans.bValue : { start: 0, end: 0 },
        },
      ],
      {
        brain: cfg.brain,
        today: ctx.clock.today(),
        runId: run.id,
        db: dryRun ? undefined : ctx.db(),
        dryRun,
      },
    );
    if (done.skipped.length > 0)
      throw new UsageError("SETTLE_UNCHANGED", `${done.skipped[0]!.path}: ${done.skipped[0]!.reason}`);
    let commit: string | null = null;
    const repo = dryRun ? null : await locateRepo(cfg.brain);
    if (repo) {
      const paths = done.applied.flatMap((a) => [a.path, a.archivedTo]);
      commit = await commitPaths(
        repo,
        paths,
        `kb settle #${id}: keep “${kept.text}” (${kept.path})`,
        cfg.host,
        AUTHOR,
      );
    }
    if (!dryRun) {
      const at = ctx.clock.now().toISOString();
      recordChanges(
        ctx.db(),
        done.applied.map((applied) => ({
          runId: run.id,
          brain: cfg.brain,
          applied,
          mode: "apply",
          branch: null,
          commit,
          at,
        })),
      );
      markSettled(ctx.db(), id, side, at);
    }
    return { result: { applied: done.applied, commit }, counts: { superseded: done.applied.length } };
  });
  return { runId: outcome.runId, item, kept, applied: outcome.result.applied, commit: outcome.result.commit };
}

function pickSide(item: ContestedItem, keep: string): "a" | "b" {
  const at = (s: Side) => [`${s.path}:${s.line}`, s.path, s.text];
  const a = at(item.a).includes(keep);
  const b = at(item.b).includes(keep);
  if (a !== b) return a ? "a" : "b";
  throw new UsageError(
    "SETTLE_BAD_KEEP",
    `--keep "${keep}" names ${a ? "both sides" : "neither side"} of #${item.id}; expected ${item.a.path}:${item.a.line} or ${item.b.path}:${item.b.line}`,
  );
}
