import { KbError } from "../errors.js";

export interface BudgetLimits {
  calls: number;
  tokens: number;
  costUsd: number;
}

/** The run reached its budget: not a failure; the run stops cleanly at its last checkpoint. */
export class BudgetStop extends KbError {
  readonly limit: keyof BudgetLimits;
  constructor(limit: keyof BudgetLimits, message: string) {
    super("LLM_BUDGET", message);
    this.limit = limit;
  }
}

/** Per-run spending: checked before every request, charged after every response. */
export class Budget {
  calls = 0;
  tokens = 0;
  costUsd = 0;
  constructor(readonly limits: BudgetLimits) {}

  /** Throw `BudgetStop` if one more request of about `promptTokens` would cross a limit. */
  assertRoom(promptTokens: number): void {
    if (this.calls + 1 > this.limits.calls) {
      throw new BudgetStop("calls", `budget of ${this.limits.calls} LLM calls per run reached`);
    }
    if (this.tokens + promptTokens > this.limits.tokens) {
      throw new BudgetStop("tokens", `budget of ${this.limits.tokens} tokens per run reached`);
    }
    if (this.costUsd >= this.limits.costUsd) {
      throw new BudgetStop("costUsd", `budget of $${this.limits.costUsd} per run reached`);
    }
  }

  chargeCall(): void {
    this.calls++;
  }

  chargeUsage(tokens: number, costUsd: number): void {
    this.tokens += tokens;
    this.costUsd += costUsd;
  }
}
