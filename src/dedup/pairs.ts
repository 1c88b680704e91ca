import { forEachContainedPair, forEachExtensionPair } from "./containment-pairs.js";
import { type Band, decidePair, type FactProfile, type PairDecision, type Thresholds } from "./decide.js";
import { subjectIdentifiers, subjectKey, subjectSignature } from "./identifiers.js";
import { ALL_PAIRS_LIMIT, forEachCandidatePair, forEachSameKeyPair } from "./lsh.js";
import { bigramCount, diceUpperBound } from "./similarity.js";

/** How many contradictions and review pairs are kept per fact; the rest are counted, not listed. */
export const PER_FACT_CAP: Record<"contradiction" | "review", number> = { contradiction: 10, review: 3 };
/** Left-out pairs are told apart up to this many; beyond it the count is a lower bound. */
const OMITTED_EXACT = 250_000;

/** Stands for a duplicate pair once its facts are joined: reports only list the other bands. */
const JOINED: Finding = { i: -1, j: -1, d: { band: "duplicate", score: 1, reason: "", superset: null } };

export interface Finding {
  i: number;
  j: number;
  d: PairDecision;
}

export interface PairSearch {
  /** Contradictions and review pairs, at most `PER_FACT_CAP` of each per fact. */
  findings: Finding[];
  /** Union-find roots: facts joined by duplicate decisions. */
  find: (i: number) => number;
  /** Look-alike pairs left out because both facts already had their share listed. */
  omitted: { contradiction: number; review: number; atLeast: boolean };
}

/**
 * Verify candidate pairs of `profiles` (one per group of identical facts): all pairs in small
 * scopes; otherwise the blocking index, plus every pair about one identified subject, plus every
 * pair whose texts are the same but for their numbers (the contradictions of templated text).
 */
export function searchPairs(
  profiles: FactProfile[],
  /**
   * One 32-bit blocking salt per profile, e.g. a hash of the names it mentions; mixed with its
   * subject identifier, so only facts with the same names and subject meet in the index.
   */
  nameSalts: (i: number) => number,
  t: Thresholds,
  useLshOption?: boolean,
): PairSearch {
  const n = profiles.length;
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const seen = new Map<number, Finding>();
  const listed = { contradiction: new Uint32Array(n), review: new Uint32Array(n) };
  const left = new Set<number>();
  const omitted = { contradiction: 0, review: 0, atLeast: false };
  const cutoff = Math.min(t.review, t.contradiction, t.sameWords);
  /** `containment`: a pair from the containment paths, compared whatever its lengths. */
  const verify = (x: number, y: number, containment = false) => {
    const [i, j] = x < y ? [x, y] : [y, x];
    const a = profiles[i]!;
    const b = profiles[j]!;
    if (!containment && diceUpperBound(bigramCount(a.key), bigramCount(b.key)) < cutoff) return;
    const id = i * n + j;
    if (seen.has(id) || left.has(id)) return;
    const d = decidePair(a, b, t);
    if (d.band === "distinct") return;
    if (d.band === "duplicate") {
      seen.set(id, JOINED);
      parent[find(i)] = find(j);
      return;
    }
    const count = listed[d.band as Exclude<Band, "duplicate" | "distinct">];
    if (count[i]! >= PER_FACT_CAP[d.band as "review"] && count[j]! >= PER_FACT_CAP[d.band as "review"]) {
      omitted[d.band as "review"]++;
      if (left.size < OMITTED_EXACT) left.add(id);
      else omitted.atLeast = true;
      return;
    }
    count[i]!++;
    count[j]!++;
    seen.set(id, { i, j, d });
  };
  const useLsh = useLshOption ?? n > ALL_PAIRS_LIMIT;
  const keys = profiles.map((p) => p.key);
  // Each fact's subject identifiers, read once: its blocking salt and its same-subject key.
  const subjects: (string | null)[] = [];
  const subjectSalts = new Uint32Array(useLsh ? n : 0);
  if (useLsh) {
    profiles.forEach((p, i) => {
      const ids = subjectIdentifiers(p.text);
      subjects.push(subjectKey(ids));
      subjectSalts[i] = subjectSignature(ids);
    });
  }
  // The containment paths first, so what they allocate is freed before the index's arrays.
  const contained = (i: number, j: number) => verify(i, j, true);
  forEachExtensionPair(keys, contained);
  forEachContainedPair(keys, contained);
  forEachCandidatePair(keys, verify, {
    useLsh,
    salts: (i) => {
      const names = nameSalts(i);
      return names === 0 ? subjectSalts[i]! : (names ^ Math.imul(subjectSalts[i]!, 0x2c1b3c6d)) >>> 0;
    },
    minScore: cutoff,
  });
  if (useLsh) {
    forEachSameKeyPair(subjects, verify);
    forEachSameKeyPair(
      profiles.map((p, i) => (subjects[i] === null ? p.key.replace(/\p{N}+/gu, "#") : null)),
      verify,
    );
  }
  const findings: Finding[] = [];
  for (const f of seen.values()) if (f !== JOINED) findings.push(f);
  return { findings, find, omitted };
}
