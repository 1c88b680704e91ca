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
  /** Facts this run superseded: no longer shown. */
  retired: Set<number>;
}

/**
 * What a fact or a log statement is matched on: its content tokens, each pair of adjacent words,
 * function words included, so a subject made of common words ("All of Me", "From Me to You",
 * "Windows Me") or written in lower case ("midfielder is …") still has something rare, and its
 * opening pair, where a fact names its subject: "Elvis Presley is married to …" opens like the
 * fact it changes, "Priscilla Presley is married to Elvis Presley" does not.
 */
function features(text: string, side: "fact" | "statement"): Set<string> {
  const normalised = normaliseFact(text);
  const out = contentTokens(normalised);
  const words = tokensOf(normalised);
  for (let i = 0; i + 1 < words.length; i++) {
    out.add(`${words[i]} ${words[i + 1]}`);
    // A log statement may name the subject anywhere ("Update: Elvis Presley is married to …").
    if (i === 0 || side === "statement") out.add(`^ ${words[i]} ${words[i + 1]}`);
  }
  return out;
}

/** An inverted index of every live fact's content tokens and word pairs. */
export function indexFacts(
  docs: BrainDoc[],
  sectionOf: (doc: BrainDoc, heading: number) => string,
): FactIndex {
  const index: FactIndex = { facts: [], tokens: [], postings: new Map(), retired: new Set() };
  for (const doc of docs) {
    for (const f of doc.facts) {
      const text = stripKbComments(f.text);
      const section = f.heading >= 0 ? sectionOf(doc, f.heading) : "";
      addFact(index, { path: doc.path, section, raw: f.text, text });
    }
  }
  return index;
}

function addFact(index: FactIndex, fact: Omit<NearFact, "id">): void {
  const t = features(fact.text, "fact");
  const i = index.facts.length;
  index.facts.push(fact);
  index.tokens.push(t);
  for (const tok of t) {
    const list = index.postings.get(tok);
    if (list) list.push(i);
    else index.postings.set(tok, [i]);
  }
}

/**
 * Keep the index as the run leaves the brain: a superseded fact is no longer shown, and a fact
 * written earlier in the run is, so a later log that says it again finds it (not the old one).
 */
export function updateIndex(
  index: FactIndex,
  applied: { op: string; path: string; text: string; supersedes?: string }[],
): void {
  for (const a of applied) {
    if (a.op === "duplicate") continue;
    let section = "";
    if (a.supersedes !== undefined) {
      const i = index.facts.findIndex(
        (f, k) => !index.retired.has(k) && f.path === a.path && f.text === a.supersedes,
      );
      if (i !== -1) {
        index.retired.add(i);
        section = index.facts[i]!.section;
      }
    }
    addFact(index, { path: a.path, section, raw: a.text, text: a.text });
  }
}

/** Per statement of the log, facts scoring at least this share of its best match are about the same subject. */
const SAME_SUBJECT = 0.6;
/** …and at most this many of them per statement. */
const PER_STATEMENT = 8;
/** Facts picked per statement for its rarest words and word pairs before the score ranking. */
const RAREST = 5;

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
  const overall = ranked(index, contentTokens(normaliseFact(text)));
  // The excerpt's best matches as a whole keep half the limit, however many statements it has.
  const reserved = Math.floor(limit / 2);
  const perStatement = statements(text).map((s) => aboutSameSubject(index, s));
  for (let rank = 0; rank < PER_STATEMENT; rank++) {
    for (const list of perStatement) {
      const i = list[rank];
      if (i !== undefined && picked.size < 2 * limit - reserved) picked.add(i);
    }
  }
  for (const [i] of overall.slice(0, reserved)) picked.add(i);
  for (const [i] of overall) {
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

/**
 * A statement's facts: the best-scoring fact holding each of its rarest features, rarest first,
 * until RAREST facts are picked (what it is about is among them, even when many facts share its
 * other words, such as a value several edits give), then those scoring within SAME_SUBJECT of the
 * best.
 */
function aboutSameSubject(index: FactIndex, statement: string): number[] {
  const query = features(statement, "statement");
  const scores = ranked(index, query);
  const score = new Map(scores);
  const out = new Set<number>();
  const rarest = [...query]
    .map((f) => (index.postings.get(f) ?? []).filter((i) => score.has(i)))
    .filter((list) => list.length > 0)
    .sort((a, b) => a.length - b.length);
  for (const list of rarest) {
    if (out.size >= RAREST) break;
    const best = list.reduce((a, b) =>
      score.get(b)! > score.get(a)! || (score.get(b) === score.get(a) && b < a) ? b : a,
    );
    out.add(best);
  }
  const best = scores[0]?.[1] ?? 0;
  for (const [i, s] of scores) if (s >= SAME_SUBJECT * best) out.add(i);
  return [...out].slice(0, PER_STATEMENT);
}

/** Facts sharing `query`'s features, by rarity-weighted overlap, best first. */
function ranked(index: FactIndex, query: Set<string>): [number, number][] {
  const scores = new Map<number, number>();
  const n = index.facts.length || 1;
  for (const tok of query) {
    const list = index.postings.get(tok);
    if (!list || list.length > Math.max(20, n * 0.2)) continue; // too common to tell facts apart
    const weight = Math.log(1 + n / list.length);
    for (const i of list) if (!index.retired.has(i)) scores.set(i, (scores.get(i) ?? 0) + weight);
  }
  return [...scores.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
}
