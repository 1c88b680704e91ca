import type { RecallQuestion } from "./questions.js";

/** One retrieved passage as the engine handed it to the agent. */
export interface Retrieved {
  /** What the agent reads: a fact (kb) or a snippet (OpenClaw). */
  text: string;
  /** Brain-relative file. */
  file: string;
  line?: number;
  /** Review state, when the engine knows it. */
  state?: string;
  /** The engine marked it contested: a contradiction waits for a person (kb only). */
  contested?: boolean;
  /** Tokens the agent reads for this hit (text plus whatever the engine adds around it). */
  tokens: number;
}

export interface QuestionScore {
  id: string;
  question: string;
  answer: string;
  /** 1-based rank of the first hit that contains the answer outside `_archive/`; null when none. */
  rank: number | null;
  /** The stale strings found in the hits (an outdated answer reached the agent). */
  staleFound: string[];
  /** Of those, the ones in a hit that carried no warning (not contested, not from an expired or needs-review file). */
  staleUnmarked: string[];
  tokens: number;
  hits: Retrieved[];
}

export interface RecallScore {
  questions: number;
  /** Share of questions whose answer is in the top k. */
  recall: number;
  /** Mean reciprocal rank of the first correct hit (0 for a miss). */
  mrr: number;
  /** Questions that carry `stale` strings (facts that changed). */
  changed: number;
  /** Share of those questions where a top-k hit contains a stale string, even next to the right answer. */
  staleHitRate: number | null;
  /** The same, counting only stale hits that came with no warning: what an agent would take as current. */
  unmarkedStaleHitRate: number | null;
  /** Mean tokens an agent reads per question. */
  tokensPerQuestion: number;
  /** Recall over the questions about facts that changed. */
  changedRecall: number | null;
}

/** Any case, any run of whitespace: "Free EU  shipping" contains "free eu shipping". */
export function normalise(text: string): string {
  return text.toLowerCase().replace(/\s+/g, " ").trim();
}

const archived = (file: string) => file === "_archive" || file.startsWith("_archive/");

/** Score one question's top-k hits. Pure. */
export function scoreQuestion(q: RecallQuestion, hits: Retrieved[]): QuestionScore {
  const answer = normalise(q.answer);
  const index = hits.findIndex((h) => !archived(h.file) && normalise(h.text).includes(answer));
  const texts = hits.map((h) => normalise(h.text));
  const warned = (h: Retrieved) =>
    h.contested === true || h.state === "expired" || h.state === "needs review";
  const plain = hits.filter((h) => !warned(h)).map((h) => normalise(h.text));
  return {
    id: q.id,
    question: q.question,
    answer: q.answer,
    rank: index === -1 ? null : index + 1,
    staleFound: q.stale.filter((s) => texts.some((t) => t.includes(normalise(s)))),
    staleUnmarked: q.stale.filter((s) => plain.some((t) => t.includes(normalise(s)))),
    tokens: hits.reduce((n, h) => n + h.tokens, 0),
    hits,
  };
}

export function summarise(questions: RecallQuestion[], scores: QuestionScore[]): RecallScore {
  const n = scores.length;
  const changed = scores.filter((_, i) => questions[i]!.stale.length > 0);
  const mean = (values: number[]) =>
    values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
  return {
    questions: n,
    recall: mean(scores.map((s) => (s.rank === null ? 0 : 1))),
    mrr: mean(scores.map((s) => (s.rank === null ? 0 : 1 / s.rank))),
    changed: changed.length,
    staleHitRate: changed.length === 0 ? null : mean(changed.map((s) => (s.staleFound.length > 0 ? 1 : 0))),
    unmarkedStaleHitRate:
      changed.length === 0 ? null : mean(changed.map((s) => (s.staleUnmarked.length > 0 ? 1 : 0))),
    tokensPerQuestion: mean(scores.map((s) => s.tokens)),
    changedRecall: changed.length === 0 ? null : mean(changed.map((s) => (s.rank === null ? 0 : 1))),
  };
}
