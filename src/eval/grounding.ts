import type { LogChunks, PassOutput } from "./pass.js";
import { type Metrics, metricsOf, scoreLog, sumCounts } from "./score.js";
import type { EvalSet } from "./set.js";
import { spreadOf } from "./stats.js";

/**
 * What the grounding check did in one pass, from scoring the same replies twice: with the check
 * (what `kb mine` writes) and without it (its refused facts put back). Planted unsupported facts
 * are the set's `mustNot` items whose `why` starts with "unsupported".
 */
export interface GroundingFigures {
  /** Labelled facts matched with the check, and without it: the check keeps `correctKept` of `correctWithout`. */
  correctKept: number;
  correctWithout: number;
  /** Planted unsupported facts the model proposed, and how many of them the check refused. */
  plantedProposed: number;
  plantedRefused: number;
  /** Every fact the check refused (planted or not). */
  refused: number;
  /** The scores without the check. */
  without: Metrics & { forbidden: number };
}

export function groundingFigures(set: EvalSet, logs: LogChunks[], pass: PassOutput): GroundingFigures {
  const figures = { correctKept: 0, correctWithout: 0, plantedProposed: 0, plantedRefused: 0, refused: 0 };
  const withoutScores = logs.map(({ log }, i) => {
    const out = pass.logs[i]!;
    const all = [...out.produced, ...out.ungrounded];
    const checked = scoreLog(log.facts, log.mustNot, out.produced, set.threshold);
    const unchecked = scoreLog(log.facts, log.mustNot, all, set.threshold);
    figures.correctKept += checked.tp;
    figures.correctWithout += unchecked.tp;
    figures.refused += out.ungrounded.length;
    for (const hit of unchecked.forbiddenHits) {
      if (!/^unsupported\b/i.test(log.mustNot[hit.item]!.why)) continue;
      figures.plantedProposed++;
      if (hit.produced >= out.produced.length) figures.plantedRefused++;
    }
    const secrets = out.rejected.filter((r) => r.reason === "TEXT_SECRET").length;
    return { ...unchecked, forbidden: unchecked.forbidden + secrets };
  });
  const counts = sumCounts(withoutScores);
  return { ...figures, without: { ...metricsOf(counts), forbidden: counts.forbidden } };
}

/** The mean of each figure over several runs. */
export function meanGrounding(runs: GroundingFigures[]): GroundingFigures {
  const mean = (pick: (g: GroundingFigures) => number) => spreadOf(runs.map(pick)).mean;
  const wrong = runs.map((g) => g.without.wrongPathRate).filter((v): v is number => v !== null);
  return {
    correctKept: mean((g) => g.correctKept),
    correctWithout: mean((g) => g.correctWithout),
    plantedProposed: mean((g) => g.plantedProposed),
    plantedRefused: mean((g) => g.plantedRefused),
    refused: mean((g) => g.refused),
    without: {
      precision: mean((g) => g.without.precision),
      recall: mean((g) => g.without.recall),
      f1: mean((g) => g.without.f1),
      wrongPathRate: wrong.length ? spreadOf(wrong).mean : null,
      forbidden: mean((g) => g.without.forbidden),
    },
  };
}
