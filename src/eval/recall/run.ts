import { UsageError } from "../../errors.js";
import type { Context } from "../../runtime/context.js";
import { retrieveWithKb } from "./engine-kb.js";
import { type OpenClawOptions, retrieveWithOpenClaw } from "./engine-openclaw.js";
import { loadRecallSet } from "./questions.js";
import { type QuestionScore, type RecallScore, type Retrieved, scoreQuestion, summarise } from "./score.js";

export const ENGINES = ["kb", "openclaw"] as const;
export type Engine = (typeof ENGINES)[number];

export interface RecallOptions {
  set: string;
  engine: Engine;
  k: number;
  /** kb engine: widen questions with the brain's vocabulary, as kb search does (default true). */
  expand?: boolean;
  openclaw?: Partial<OpenClawOptions>;
}

export interface RecallResult {
  date: string;
  engine: Engine;
  k: number;
  brain: string;
  set: { dir: string; name: string; questions: number };
  score: RecallScore;
  questions: QuestionScore[];
  /**
   * The kb engine with `search.embeddings` set: the same questions with BM25 fused with embedding
   * similarity, beside the BM25-only figures above. `warnings` say when it fell back to BM25.
   */
  hybrid?: { model: string; score: RecallScore; questions: QuestionScore[]; warnings: string[] };
  ms: number;
}

/** Ask every question of a set through one engine and score what came back. Reads; never writes the brain. */
export async function evalRecall(ctx: Context, options: RecallOptions): Promise<RecallResult> {
  const started = performance.now();
  const set = loadRecallSet(options.set);
  const asked = set.questions.map((q) => q.question);
  let hits: Retrieved[][];
  let hybrid: RecallResult["hybrid"];
  const expand = options.expand !== false;
  if (options.engine === "kb") {
    hits = (await retrieveWithKb(ctx, asked, options.k, { expand })).hits;
    const embeddings = ctx.config.search.embeddings;
    if (embeddings) {
      const fused = await retrieveWithKb(ctx, asked, options.k, { expand, hybrid: true });
      const questions = set.questions.map((q, i) => scoreQuestion(q, fused.hits[i] ?? []));
      hybrid = {
        model: embeddings.model,
        score: summarise(set.questions, questions),
        questions,
        warnings: fused.warnings,
      };
    }
  } else {
    const command = options.openclaw?.command ?? ctx.env.KB_OPENCLAW;
    if (!command)
      throw new UsageError(
        "OPENCLAW_COMMAND",
        '--engine openclaw needs the command that runs OpenClaw: --openclaw "node /path/to/openclaw.mjs" or KB_OPENCLAW',
      );
    hits = await retrieveWithOpenClaw(ctx, asked, options.k, {
      ...options.openclaw,
      command,
      home: options.openclaw?.home ?? ctx.env.KB_OPENCLAW_HOME,
    });
  }
  const questions = set.questions.map((q, i) => scoreQuestion(q, hits[i] ?? []));
  return {
    date: ctx.clock.today(),
    engine: options.engine,
    k: options.k,
    brain: ctx.config.brain,
    set: { dir: set.dir, name: set.name, questions: set.questions.length },
    score: summarise(set.questions, questions),
    questions,
    ...(hybrid ? { hybrid } : {}),
    ms: Math.round(performance.now() - started),
  };
}
