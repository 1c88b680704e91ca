import { stripKbComments } from "../brain/provenance.js";
import type { BrainDoc } from "../brain/types.js";
import { contentTokens, normaliseFact } from "../dedup/normalise.js";

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
  /** token → indices of facts holding it */
  postings: Map<string, number[]>;
}

/** An inverted index of every live fact's content tokens. */
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
      const t = contentTokens(normaliseFact(text));
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

/**
 * The `limit` facts sharing the most (rarity-weighted) content tokens with `text`, numbered 1..n.
 * Cheap: only facts sharing a token are scored.
 */
export function nearestFacts(index: FactIndex, text: string, limit = 30): NearFact[] {
  const query = contentTokens(normaliseFact(text));
  const scores = new Map<number, number>();
  const n = index.facts.length || 1;
  for (const tok of query) {
    const list = index.postings.get(tok);
    if (!list || list.length > Math.max(20, n * 0.2)) continue; // too common to tell facts apart
    const weight = Math.log(1 + n / list.length);
    for (const i of list) scores.set(i, (scores.get(i) ?? 0) + weight);
  }
  return [...scores.entries()]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, limit)
    .map(([i], k) => ({ id: k + 1, ...index.facts[i]! }));
}
