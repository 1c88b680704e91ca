import OpenAI from "openai";
import { TransientError } from "../errors.js";
import type { Logger } from "../runtime/log.js";
import { type BackoffOptions, retryDelay } from "./backoff.js";
import { Budget, type BudgetLimits } from "./budget.js";
import { classifyFailure } from "./failure.js";
import { costOf, type Prices, UsageLedger } from "./usage.js";

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface ChatRequest {
  messages: ChatMessage[];
  /** JSON schema for structured output; sent as json_schema, or json_object where unsupported. */
  schema: { name: string; schema: Record<string, unknown> };
  /** Estimated prompt tokens, for the budget check before sending. */
  promptTokens: number;
}

export interface ChatReply {
  content: string;
  model: string;
  latencyMs: number;
}

/** Attempts spent on one chunk, shared by every model in the chain and by the repair request. */
export interface AttemptCounter {
  used: number;
  cap: number;
}

export interface LlmRunOptions {
  baseUrl?: string;
  models: string[];
  timeoutMs: number;
  maxRetries: number;
  prices: Prices;
  budget: BudgetLimits;
  /** Consecutive failures after which a model is skipped for the rest of the run. */
  breakerAfter?: number;
  /** Longest `Retry-After` kb waits for; a longer ask moves on to the next model. */
  maxRetryAfterMs?: number;
  backoff?: BackoffOptions;
  /** Injected so tests run fast; the computed delays are kept in `delays` either way. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
  log?: Logger;
}

/** Every model is unavailable or the chunk used its attempts: try again on a later run. */
export class LlmUnavailableError extends TransientError {}

interface ModelState {
  failures: number;
  open: boolean;
  format: "json_schema" | "json_object";
}

/**
 * One run's LLM access: a model chain (cheap first), kb's own retries (the SDK's are off), a hard
 * cap on attempts per chunk across the chain, a circuit breaker per model, and a per-run budget.
 * Clients are made per API key, since each agent has its own key.
 */
export class LlmRun {
  readonly ledger = new UsageLedger();
  readonly budget: Budget;
  readonly delays: number[] = [];
  private readonly state = new Map<string, ModelState>();
  private readonly clients = new Map<string, OpenAI>();

  constructor(private readonly options: LlmRunOptions) {
    this.budget = new Budget(options.budget);
    for (const m of options.models) this.state.set(m, { failures: 0, open: false, format: "json_schema" });
  }

  openModels(): string[] {
    return [...this.state.entries()].filter(([, s]) => s.open).map(([m]) => m);
  }

  async complete(
    apiKey: string,
    req: ChatRequest,
    attempts: AttemptCounter,
    signal?: AbortSignal,
  ): Promise<ChatReply> {
    const chain = this.options.models.filter((m) => !this.state.get(m)!.open);
    if (chain.length === 0) {
      throw new LlmUnavailableError(
        "LLM_ALL_OPEN",
        `every model is failing (${this.options.models.join(", ")}); stopped`,
      );
    }
    let lastError = "";
    for (let i = 0; i < chain.length; i++) {
      const model = chain[i]!;
      const st = this.state.get(model)!;
      const reserve = chain.length - i - 1;
      const allowed = Math.min(1 + this.options.maxRetries, attempts.cap - attempts.used - reserve);
      for (let n = 0; n < Math.max(1, allowed) && attempts.used < attempts.cap; n++) {
        this.budget.assertRoom(req.promptTokens);
        attempts.used++;
        this.budget.chargeCall();
        this.ledger.entry(model).attempts++;
        const started = performance.now();
        try {
          const res = await this.client(apiKey).chat.completions.create(
            {
              model,
              messages: req.messages,
              temperature: 0,
              response_format:
                st.format === "json_schema"
                  ? {
                      type: "json_schema",
                      json_schema: { name: req.schema.name, schema: req.schema.schema, strict: false },
                    }
                  : { type: "json_object" },
            },
            { signal },
          );
          st.failures = 0;
          const usage = res.usage;
          const prompt = usage?.prompt_tokens ?? req.promptTokens;
          const completion = usage?.completion_tokens ?? 0;
          const cost = costOf(this.options.prices, model, prompt, completion);
          const u = this.ledger.entry(model);
          u.calls++;
          u.promptTokens += prompt;
          u.completionTokens += completion;
          u.costUsd += cost;
          this.budget.chargeUsage(prompt + completion, cost);
          return {
            content: res.choices[0]?.message?.content ?? "",
            model,
            latencyMs: performance.now() - started,
          };
        } catch (error) {
          if (signal?.aborted) throw error;
          const verdict = this.classify(error, st);
          lastError = `${model}: ${verdict.message}`;
          this.options.log?.warn("LLM request failed", {
            model,
            attempt: attempts.used,
            error: verdict.message,
          });
          if (verdict.kind === "downgrade") continue;
          st.failures++;
          if (verdict.kind === "fatal" || st.failures >= (this.options.breakerAfter ?? 3)) {
            st.open = true;
            this.options.log?.warn("circuit open: model skipped for the rest of the run", { model });
            break;
          }
          if (verdict.kind === "next-model") break;
          const more = n + 1 < allowed && attempts.used < attempts.cap;
          if (more) {
            const delay = retryDelay(n + 1, verdict.retryAfter, this.options.backoff);
            this.delays.push(delay);
            await (this.options.sleep ?? sleep)(delay);
          }
        }
      }
      if (attempts.used >= attempts.cap) break;
    }
    throw new LlmUnavailableError(
      "LLM_ATTEMPTS",
      `no usable reply after ${attempts.used} attempt(s) (cap ${attempts.cap}); last error: ${lastError}`,
    );
  }

  private classify(error: unknown, st: ModelState) {
    if (
      error instanceof OpenAI.APIError &&
      error.status === 400 &&
      st.format === "json_schema" &&
      /response_format|json_schema/i.test(error.message)
    ) {
      st.format = "json_object";
      const message = `HTTP 400${error.message ? ` ${error.message.slice(0, 200)}` : ""}`;
      return { kind: "downgrade" as const, message, retryAfter: null };
    }
    const failure = classifyFailure(
      error,
      this.options.now?.() ?? new Date(),
      this.options.maxRetryAfterMs ?? 60_000,
    );
    return { ...failure, kind: failure.kind === "other" ? ("next-model" as const) : failure.kind };
  }

  private client(apiKey: string): OpenAI {
    let c = this.clients.get(apiKey);
    if (!c) {
      c = new OpenAI({
        apiKey,
        baseURL: this.options.baseUrl,
        maxRetries: 0,
        timeout: this.options.timeoutMs,
      });
      this.clients.set(apiKey, c);
    }
    return c;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
