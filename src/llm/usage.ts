import type { Db } from "../state/db.js";

export interface ModelUsage {
  model: string;
  calls: number;
  attempts: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
}

export type Prices = Record<string, { input: number; output: number }>;

/** Cost in USD from `llm.prices` (per million tokens); 0 for a model without a price. */
export function costOf(
  prices: Prices,
  model: string,
  promptTokens: number,
  completionTokens: number,
): number {
  const p = prices[model];
  if (!p) return 0;
  return (promptTokens * p.input + completionTokens * p.output) / 1_000_000;
}

/** Usage per model for one run. `calls` counts successful responses, `attempts` every request. */
export class UsageLedger {
  readonly byModel = new Map<string, ModelUsage>();

  entry(model: string): ModelUsage {
    let u = this.byModel.get(model);
    if (!u) {
      u = { model, calls: 0, attempts: 0, promptTokens: 0, completionTokens: 0, costUsd: 0 };
      this.byModel.set(model, u);
    }
    return u;
  }

  totals(): Omit<ModelUsage, "model"> {
    const t = { calls: 0, attempts: 0, promptTokens: 0, completionTokens: 0, costUsd: 0 };
    for (const u of this.byModel.values()) {
      t.calls += u.calls;
      t.attempts += u.attempts;
      t.promptTokens += u.promptTokens;
      t.completionTokens += u.completionTokens;
      t.costUsd += u.costUsd;
    }
    return t;
  }

  /** Write this run's usage (replacing what an earlier checkpoint of the same run wrote). */
  save(db: Db, runId: number): void {
    const upsert = db.prepare(
      `INSERT INTO llm_usage (run_id, model, calls, attempts, prompt_tokens, completion_tokens, cost_usd)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (run_id, model) DO UPDATE SET calls = excluded.calls, attempts = excluded.attempts,
         prompt_tokens = excluded.prompt_tokens, completion_tokens = excluded.completion_tokens, cost_usd = excluded.cost_usd`,
    );
    db.transaction(() => {
      for (const u of this.byModel.values()) {
        upsert.run(runId, u.model, u.calls, u.attempts, u.promptTokens, u.completionTokens, u.costUsd);
      }
    })();
  }
}
