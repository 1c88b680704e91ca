import { costOf } from "../llm/usage.js";
import type { Context } from "../runtime/context.js";
import { count } from "../runtime/plural.js";
import { planMine } from "./plan.js";
import { displayPath, selectSources } from "./sources.js";

/** Tokens a prompt adds around the log excerpt (instructions, outline, nearest facts): a rough constant. */
const PROMPT_OVERHEAD_TOKENS = 1500;
/** Expected completion tokens per chunk. */
const COMPLETION_TOKENS = 250;

/** `kb mine --dry-run`: the chunks a run would send, with token and cost estimates. No LLM, no writes. */
export function minePlan(ctx: Context, options: { agent?: string; since?: string }) {
  const cfg = ctx.config;
  const { work, sources } = planMine(ctx.db(), {
    sources: selectSources(cfg, options.agent),
    baseDir: cfg.baseDir,
    chunkTokens: cfg.mine.chunkTokens,
    today: ctx.clock.today(),
    since: options.since,
    readOnly: true,
  });
  const model = cfg.llm.models[0] ?? null;
  const chunks = work.flatMap((w) =>
    w.chunks.map((c) => {
      const promptTokens = c.tokens + PROMPT_OVERHEAD_TOKENS;
      return {
        agent: w.source.agent,
        file: displayPath(w.read.file, cfg.baseDir),
        entries: c.entries.length,
        from: c.entries[0]?.at ?? "",
        to: c.entries.at(-1)?.at ?? "",
        promptTokens,
        costUsd: model ? costOf(cfg.llm.prices, model, promptTokens, COMPLETION_TOKENS) : 0,
      };
    }),
  );
  const entries = work.reduce(
    (a, w) => ({
      read: a.read + w.counts.read,
      mined: a.mined + w.counts.mined,
      skipped: a.skipped + w.counts.skipped,
    }),
    { read: 0, mined: 0, skipped: 0 },
  );
  const rawBytes = work.reduce((a, w) => a + w.read.rawBytes, 0);
  const promptTokens = chunks.reduce((a, c) => a + c.promptTokens, 0);
  const redactions: Record<string, number> = {};
  for (const w of work)
    for (const [k, n] of Object.entries(w.redactions)) redactions[k] = (redactions[k] ?? 0) + n;
  return {
    plan: true,
    model,
    entries,
    rawBytes,
    chunks,
    redactions,
    sources,
    totals: {
      chunks: chunks.length,
      promptTokens,
      completionTokens: chunks.length * COMPLETION_TOKENS,
      costUsd: chunks.reduce((a, c) => a + c.costUsd, 0),
      withinBudget: chunks.length <= cfg.mine.budget.calls && promptTokens <= cfg.mine.budget.tokens,
    },
  };
}

export type MinePlan = ReturnType<typeof minePlan>;

/** The plan as `kb mine --dry-run` prints it. */
export function renderPlan(plan: MinePlan): string {
  const lines = [
    `mine plan: ${count(plan.totals.chunks, "chunk")}, ~${plan.totals.promptTokens} prompt tokens, ~$${plan.totals.costUsd.toFixed(4)}` +
      `${plan.model ? ` with ${plan.model}` : " (no llm.models set)"}; ${plan.entries.mined} of ${plan.entries.read} new entries kept`,
    ...plan.chunks.map(
      (c) =>
        `  ${c.agent}  ${c.file}  ${count(c.entries, "entry", "entries")}  ~${c.promptTokens} tokens  ~$${c.costUsd.toFixed(4)}`,
    ),
  ];
  const kinds = Object.entries(plan.redactions);
  if (kinds.length) lines.push(`secrets redacted: ${kinds.map(([k, n]) => `${k} ×${n}`).join(", ")}`);
  if (!plan.totals.withinBudget)
    lines.push(
      "warning: this is more than one run's budget (mine.budget); the run will stop early and resume next time",
    );
  lines.push("dry run: no LLM call, nothing written");
  return lines.join("\n");
}
