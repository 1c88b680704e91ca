import { type Provenance, readProvenance } from "../brain/provenance.js";
import type { FactProfile } from "./decide.js";

/** A fact in a scope, as the planner sees it. */
export interface ScopeFact {
  path: string;
  line: number;
  /** Index of the fact within its document (its position in `doc.facts`). */
  index: number;
  text: string;
  /** Pinned facts (file `pinned: true` or `<!-- kb:pin -->`) are never removed. */
  pinned: boolean;
  /** Facts with nested items under them are never removed (the children would be orphaned). */
  hasChildren: boolean;
  /** The newest date known for the fact: its provenance, else the file's `updated`. */
  date: string;
  /** How often agents retrieved the fact in the last 90 days (kb search, kb mcp, memory tools). */
  reads?: number;
}

export interface Candidate {
  fact: ScopeFact;
  profile: FactProfile;
  provenance: Provenance[];
}

const NO_PROVENANCE: Provenance[] = [];

export function candidateOf(fact: ScopeFact, profile: FactProfile): Candidate {
  const provenance = fact.text.includes("<!--") ? readProvenance(fact.text) : NO_PROVENANCE;
  return { fact, profile, provenance };
}

/**
 * Whether `a` is more informative than `b`: a token superset first, then more content tokens, then
 * newer, then has provenance, then longer, then written with more care; of two versions still
 * alike, the one agents read more survives (it is the one they find); then the earlier position,
 * so runs are stable.
 */
export function moreInformative(a: Candidate, b: Candidate): boolean {
  const sa = a.profile.content;
  const sb = b.profile.content;
  const aCoversB = contains(sa, sb);
  const bCoversA = contains(sb, sa);
  if (aCoversB !== bCoversA) return aCoversB;
  if (sa.size !== sb.size) return sa.size > sb.size;
  if (a.fact.date !== b.fact.date) return a.fact.date > b.fact.date;
  if (a.provenance.length > 0 !== b.provenance.length > 0) return a.provenance.length > 0;
  if (a.profile.key.length !== b.profile.key.length) return a.profile.key.length > b.profile.key.length;
  // Same words: prefer the version written with care (capitals, final punctuation).
  const ca = carefulness(a.fact.text);
  const cb = carefulness(b.fact.text);
  if (ca !== cb) return ca > cb;
  const ra = a.fact.reads ?? 0;
  const rb = b.fact.reads ?? 0;
  if (ra !== rb) return ra > rb;
  return a.fact.path < b.fact.path || (a.fact.path === b.fact.path && a.fact.line < b.fact.line);
}

export function bestOf(members: Candidate[]): Candidate {
  let best = members[0]!;
  for (const m of members.slice(1)) if (moreInformative(m, best)) best = m;
  return best;
}

function contains(large: Set<string>, small: Set<string>): boolean {
  if (small.size > large.size) return false;
  for (const t of small) if (!large.has(t)) return false;
  return true;
}

function carefulness(text: string): number {
  return (/^\s*\p{Lu}/u.test(text) ? 1 : 0) + (/[.!?。]\s*(<!--.*-->)?\s*$/u.test(text) ? 1 : 0);
}
