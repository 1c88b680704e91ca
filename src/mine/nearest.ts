import { stripKbComments } from "../brain/provenance.js";
import type { BrainDoc } from "../brain/types.js";
import { contentTokens, normaliseFact, tokensOf } from "../dedup/normalise.js";

/** An existing fact shown to the LLM under a small integer id. */
export interface NearFact {
  id: number;
  path: string;
  section: string;
  /** The fact as written (provenance included). */
  raw: string;
  /** The fact without kb comments: what the LLM sees and what duplicate checks compare. */
  text: string;
}

export interface FactIndex {
  facts: Omit<NearFact, "id">[];
  tokens: Set<string>[];
  /** token or word pair ("all of", "of me") → indices of facts holding it */
  postings: Map<string, number[]>;
}

/**
 * What a fact or a log statement is matched on: its content tokens, and each pair of adjacent
 * words, function words included, so a subject made of common words ("All of Me", "From Me to
 * You", "Windows Me") or written in lower case ("midfielder is …") still has something rare.
 */
function features(text: string): Set<string> {
  const normalised = normaliseFact(text);
  const out = contentTokens(normalised);
  const words = tokensOf(normalised);
  for (let i = 0; i + 1 < words.length; i++) out.add(`${words[i]} ${words[i + 1]}`);
  return out;
}

/** An inverted index of every live fact's content tokens and word pairs. */
export function indexFacts(
  docs: BrainDoc[],
  sectionOf: (doc: BrainDoc, heading: number) => string,
): FactIndex {
  const facts: FactIndex["facts"] = [];
  const tokens: Set<string>[] = [];
  const postings = new Map<string, number[]>();
  for (const doc of docs) {
    for (const f of doc.facts) {
      const text = stripKbComments(f.text);
      const t = features(text);
      const i = facts.length;
      facts.push({
        path: doc.path,
        section: f.heading >= 0 ? sectionOf(doc, f.heading) : "",
        raw: f.text,
        text,
      });
      tokens.push(t);
      for (const tok of t) {
        const list = postings.get(tok);
        if (list) list.push(i);
        else postings.set(tok, [i]);
      }
    }
  }
  return { facts, tokens, postings };
}

/** Per statement of the log, facts scoring at least this share of its best match are about the same subject. */
const SAME_SUBJECT = 0.6;
/** …and at most this many of them per statement. */
const PER_STATEMENT = 8;

/**
 * The facts to show the model for a log excerpt, numbered 1..n. First, for each statement of the
 * excerpt (a line or sentence), the facts about what it is about: those sharing its rarest words
 * and word pairs, scored on the statement alone so one statement's common words cannot crowd out
 * another's subject (a chunk of four edits gets the old fact of each). Then, up to `limit`, the
 * facts sharing the most rare words with the whole excerpt. Never more than twice `limit`, so the
 * prompt stays small. Cheap: only facts sharing a token are scored.
 */
export function nearestFacts(index: FactIndex, text: string, limit = 30): NearFact[] {
  const picked = new Set<number>();
  const perStatement = statements(text).map((s) => aboutSameSubject(index, s));
  for (let rank = 0; rank < PER_STATEMENT; rank++) {
    for (const list of perStatement) {
      const i = list[rank];
      if (i !== undefined && picked.size < 2 * limit) picked.add(i);
    }
  }
  for (const [i] of ranked(index, contentTokens(normaliseFact(text)))) {
    if (picked.size >= limit) break;
    picked.add(i);
  }
  return [...picked].map((i, k) => ({ id: k + 1, ...index.facts[i]! }));
}

/** Lines and sentences, without the `[time role]` prefix the chunk gives each entry. */
function statements(text: string): string[] {
  return text
    .split(/\n+|(?<=[.!?])\s+(?=\S)/)
    .map((s) => s.replace(/^\[[^\]]*\]\s*/, "").trim())
    .filter((s) => s !== "");
}

function aboutSameSubject(index: FactIndex, statement: string): number[] {
  const scores = ranked(index, features(statement));
  const best = scores[0]?.[1] ?? 0;
  return scores
    .filter(([, score]) => score >= SAME_SUBJECT * best)
    .slice(0, PER_STATEMENT)
    .map(([i]) => i);
}

/** Facts sharing `query`'s features, by rarity-weighted overlap, best first. */
function ranked(index: FactIndex, query: Set<string>): [number, number][] {
  const scores = new Map<number, number>();
  const n = index.facts.length || 1;
  for (const tok of query) {
    const list = index.postings.get(tok);
    if (!list || list.length > Math.max(20, n * 0.2)) continue; // too common to tell facts apart
    const weight = Math.log(1 + n / list.length);
    for (const i of list) scores.set(i, (scores.get(i) ?? 0) + weight);
  }
  return [...scores.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
}
