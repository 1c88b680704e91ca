import { decideExtension, extensionOf } from "./containment.js";
import { type GuardFeatures, guardFailure, guardFeatures, NAMES_DIFFER } from "./guards.js";
import { differentSubjects, sharedIdentifier, subjectIdentifiers } from "./identifiers.js";
import {
  contentSequence,
  contentTokens,
  isRotation,
  normaliseFact,
  STOPWORDS,
  tokensOf,
} from "./normalise.js";
import { bigramCodes, diceOfCodes } from "./similarity.js";

/** Everything the pair decision needs about one fact, computed once. */
export interface FactProfile {
  text: string;
  key: string;
  codes: Uint32Array;
  content: Set<string>;
  guards: GuardFeatures;
  /** Identifiers that name what the fact is about ("sku 1001"), see identifiers.ts. */
  subjects: string[];
}

export interface Thresholds {
  /** Auto-remove at or above this score (guards must pass). */
  auto: number;
  /** Below `auto`, at or above this: a review pair. */
  review: number;
  /** A guard failure at or above this score is a contradiction. */
  contradiction: number;
  /** A token-superset pair (one fact's content words contain the other's) is a duplicate at or above this. */
  superset: number;
  /** Two facts with the same content words (reordered, other function words) are duplicates at or above this. */
  sameWords: number;
  /** …and when the smaller fact covers at least this share of the larger one's content tokens. */
  supersetCoverage: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  auto: 0.9,
  review: 0.75,
  contradiction: 0.7,
  superset: 0.94,
  sameWords: 0.6,
  supersetCoverage: 0.6,
};

export type Band = "duplicate" | "review" | "contradiction" | "distinct";

export interface PairDecision {
  band: Band;
  score: number;
  reason: string;
  /** Which side carries more: its content tokens contain the other's. */
  superset: "a" | "b" | null;
}

/**
 * The key up front; bigram codes, content words and guard features only once a pair needs them,
 * so the many facts of a large scope that never meet another cost little memory.
 */
export function profileFact(text: string): FactProfile {
  return new LazyProfile(text);
}

class LazyProfile implements FactProfile {
  readonly key: string;
  #codes: Uint32Array | undefined;
  #content: Set<string> | undefined;
  #guards: GuardFeatures | undefined;
  #subjects: string[] | undefined;
  constructor(readonly text: string) {
    this.key = normaliseFact(text);
  }
  get codes(): Uint32Array {
    this.#codes ??= bigramCodes(this.key);
    return this.#codes;
  }
  get content(): Set<string> {
    this.#content ??= contentTokens(this.key);
    return this.#content;
  }
  get guards(): GuardFeatures {
    this.#guards ??= guardFeatures(this.text);
    return this.#guards;
  }
  get subjects(): string[] {
    this.#subjects ??= subjectIdentifiers(this.text);
    return this.#subjects;
  }
}

/**
 * The decision for one pair. Exact keys are duplicates. Otherwise the Dice score sets the band: a
 * duplicate needs the score at or above `auto` — or a token-superset pair above `superset` — and
 * every guard passing; a guard failure on a look-alike is a contradiction; the grey band is review.
 */
export function decidePair(a: FactProfile, b: FactProfile, t: Thresholds = DEFAULT_THRESHOLDS): PairDecision {
  if (a.key === b.key) return { band: "duplicate", score: 1, reason: "same text", superset: null };
  const score = diceOfCodes(a.codes, b.codes);
  const [small, large, side] = a.key.length < b.key.length ? [a, b, "b" as const] : [b, a, "a" as const];
  const extension = extensionOf(small.key, large.key);
  // Words put before or inside without a comma or parentheses ("a brown horse", "Official says …")
  // are left to the general rule.
  if (extension && (extension.shape === "after" || extension.delimited)) {
    const { decision, firm } = decideExtension(small, large, extension, score, side);
    if (firm) return decision;
    const general = decideByScore(a, b, t, score, small, large, side);
    return general.band === "duplicate" || general.band === "contradiction" ? general : decision;
  }
  return decideByScore(a, b, t, score, small, large, side);
}

/** The decision by Dice score and guards, for pairs the containment rule does not settle. */
function decideByScore(
  a: FactProfile,
  b: FactProfile,
  t: Thresholds,
  score: number,
  small: FactProfile,
  large: FactProfile,
  side: "a" | "b",
): PairDecision {
  if (score < Math.min(t.review, t.contradiction, t.sameWords)) {
    if (wordsContained(small, large, score) && !differentSubjects(a.subjects, b.subjects)) {
      return {
        band: "review",
        score,
        reason: "one carries more (its words contain the other's)",
        superset: side,
      };
    }
    return { band: "distinct", score, reason: "different wording", superset: null };
  }
  const subjects = differentSubjects(a.subjects, b.subjects);
  if (subjects)
    return { band: "distinct", score, reason: `different subjects (${subjects})`, superset: null };
  const sameSubject = sharedIdentifier(a.subjects, b.subjects);
  const superset = supersetSide(a, b, t.supersetCoverage);
  const sameWords =
    superset !== null &&
    a.content.size === b.content.size &&
    a.content.size >= 3 &&
    isRotation([...a.content], [...b.content]);
  const lookAlike = score >= t.contradiction || ((sameWords || sameSubject) && score >= t.sameWords);
  if (!lookAlike) {
    if (score < t.review && wordsContained(small, large, score)) {
      return {
        band: "review",
        score,
        reason: "one carries more (its words contain the other's)",
        superset: side,
      };
    }
    return { band: score >= t.review ? "review" : "distinct", score, reason: "similar wording", superset };
  }
  const strict = guardFailure(a.guards, b.guards, false, sameWords);
  if (strict) {
    const loose =
      superset === "b"
        ? guardFailure(a.guards, b.guards, true)
        : superset === "a"
          ? guardFailure(b.guards, a.guards, true)
          : strict;
    if (loose?.startsWith(NAMES_DIFFER) && !sameSubject) {
      // Different subjects ("Oslo store …" / "Bergen store …"): not a contradiction, at most worth a
      // look — and worth one when the other's words are all there ("… not refundable for EU orders").
      const band = score >= t.auto || wordsContained(small, large, score) ? "review" : "distinct";
      return { band, score, reason: loose, superset };
    }
    const other = loose && !sameSubject && superset === null && otherSubject(a, b, loose);
    if (other) {
      // "The white linen shirt … every 8 weeks" / "The blue linen shirt … every 5 weeks": another
      // thing with another value, not a contradiction.
      const band = score >= t.auto ? "review" : "distinct";
      return { band, score, reason: `different subjects (${other}); ${loose}`, superset };
    }
    if (loose) return { band: "contradiction", score, reason: loose, superset };
    const band = superset !== null || score >= t.review ? "review" : "distinct";
    return { band, score, reason: `one carries more: ${strict}`, superset };
  }
  const order = !sameWords && orderSwap(a.content, b.content);
  if (order && sameSubject && superset === null) {
    return { band: "contradiction", score, reason: `values differ (word order: ${order})`, superset };
  }
  if (order) return { band: "review", score, reason: `word order differs (${order})`, superset };
  const swapped = substitutedWord(a.content, b.content);
  // The same identified subject with words replaced on both sides: another value ("Ticket 4411 is
  // assigned to the returns team" / "… to the payments team").
  if (swapped && sameSubject && replacedBothWays(a.content, b.content)) {
    return { band: "contradiction", score, reason: `values differ (${swapped})`, superset };
  }
  if (swapped && score >= t.review) {
    return { band: "review", score, reason: `different words (${swapped})`, superset };
  }
  const repeat = sameSubject && superset !== null && replacedInSequence(a.key, b.key);
  if (repeat) {
    // "… late delivery … the delivery team" / "… late delivery … the payments team": the sets
    // hide a replaced repeat that the word sequences show.
    return { band: "contradiction", score, reason: `values differ (${repeat})`, superset };
  }
  const extra = superset !== null && a.content.size !== b.content.size;
  const narrower =
    extra && (superset === "b" ? narrowedSubject(a.key, b.key) : narrowedSubject(b.key, a.key));
  if (narrower) {
    // "jazz was created in …" / "jazz rap was created in …": the extra words name another subject.
    return { band: "review", score, reason: `the larger one names another subject (${narrower})`, superset };
  }
  if (extra ? score >= t.superset : score >= t.auto) {
    return { band: "duplicate", score, reason: extra ? "token superset" : "near-identical", superset };
  }
  if (sameWords && score >= t.sameWords) return { band: "duplicate", score, reason: "same words", superset };
  if (superset !== null)
    return { band: "review", score, reason: "one carries more (token superset)", superset };
  return { band: score >= t.review ? "review" : "distinct", score, reason: "similar wording", superset };
}

/**
 * Whether the larger fact of a token-superset pair adds words to the smaller one's subject: its
 * words up to the first function word after the first word ("jazz was", "the capital of") are not
 * where the larger fact starts ("jazz rap was"). Extra detail after the subject ("…, as agreed with
 * the team") keeps the subject. Returns "smaller / larger" openings, else null.
 */
function narrowedSubject(small: string, large: string): string | null {
  const s = tokensOf(small);
  const l = tokensOf(large);
  const end = s.findIndex((t, i) => i > 0 && STOPWORDS.has(t));
  const head = s.slice(0, end === -1 ? s.length : end + 1);
  if (head.every((t, i) => l[i] === t)) return null;
  return `${head.join(" ")} / ${l.slice(0, head.length + Math.max(1, l.length - s.length)).join(" ")}`;
}

/** The share of a fact's character bigrams another must hold before its words are compared. */
const MIN_BIGRAM_COVER = 0.7;

/** Whether `large`'s content words contain all of `small`'s (at least three, and fewer than `large`'s). */
function wordsContained(small: FactProfile, large: FactProfile, score: number): boolean {
  // Most of the smaller fact's bigrams must then be in the larger one: checked first, from the
  // score, so the many pairs far apart never build their word sets.
  const common = (score * (small.codes.length + large.codes.length)) / 2;
  if (common < MIN_BIGRAM_COVER * small.codes.length) return false;
  if (small.content.size < 3 || small.content.size >= large.content.size) return false;
  for (const tok of small.content) if (!large.content.has(tok)) return false;
  return true;
}

/** "b" when b's content tokens contain all of a's (and a covers enough of b), "a" for the reverse. */
function supersetSide(a: FactProfile, b: FactProfile, coverage: number): "a" | "b" | null {
  const [small, large, side] = a.content.size <= b.content.size ? [a, b, "b" as const] : [b, a, "a" as const];
  if (small.content.size < 2 || small.content.size < coverage * large.content.size) return null;
  for (const tok of small.content) if (!large.content.has(tok)) return null;
  return side;
}

/**
 * The role guard: shared content words in another order ("the turtle follows the fish" / "the
 * fish follows the turtle", "A replaced B" / "B replaced A", "X before Y" / "Y before X") may say
 * the opposite, so they are never removed automatically. A rotation ("X is Y" / "Y is X") keeps
 * the words around the verb together and is allowed. Returns the first two words out of place.
 */
function orderSwap(a: Set<string>, b: Set<string>): string | null {
  const sa = [...a].filter((t) => b.has(t));
  if (sa.length < 2) return null;
  const sb = [...b].filter((t) => a.has(t));
  const at = sa.findIndex((t, i) => sb[i] !== t);
  if (at === -1 || isRotation(sa, sb)) return null;
  return `${sa[at]} / ${sb[at]}`;
}

/**
 * A content word of one fact replaced by an unrelated word in the other ("witch" / "ditch"), as
 * "witch / ditch"; word forms that share a stem ("play" / "playing") are not substitutions.
 */
function substitutedWord(a: Set<string>, b: Set<string>): string | null {
  const onlyA = [...a].filter((t) => !b.has(t));
  const onlyB = [...b].filter((t) => !a.has(t));
  if (onlyA.length === 0 || onlyB.length === 0) return null;
  for (const x of onlyA) if (!onlyB.some((y) => sameStem(x, y))) return `${x} / ${onlyB.join(", ")}`;
  for (const y of onlyB) if (!onlyA.some((x) => sameStem(x, y))) return `${onlyA.join(", ")} / ${y}`;
  return null;
}

/**
 * When a number or antonym differs and, besides it, a word of each fact is replaced by another
 * (not a word form of it), the facts are about different things: "white / blue" for the example.
 */
function otherSubject(a: FactProfile, b: FactProfile, failure: string): string | null {
  if (!failure.startsWith("numbers differ") && !failure.startsWith("antonyms")) return null;
  const flipped = new Set(/\(([^/]+) \/ ([^)]+)\)/.exec(failure)?.slice(1) ?? []);
  const words = (p: FactProfile) =>
    new Set(
      [...p.content].filter((t) => !/\p{N}/u.test(t) && !flipped.has(t) && !p.guards.quantities.includes(t)),
    );
  const wa = words(a);
  const wb = words(b);
  if (!replacedBothWays(wa, wb)) return null;
  return substitutedWord(wa, wb);
}

/** `replacedBothWays` on the content words in order with repeats, as multisets: "x / y", else null. */
function replacedInSequence(a: string, b: string): string | null {
  const pool = contentSequence(b);
  const onlyA: string[] = [];
  for (const t of contentSequence(a)) {
    const at = pool.indexOf(t);
    if (at === -1) onlyA.push(t);
    else pool.splice(at, 1);
  }
  return replacedBothWays(new Set(onlyA), new Set(pool)) ? `${onlyA.join(", ")} / ${pool.join(", ")}` : null;
}

/** Words only one fact has, on both sides, other than word forms of each other: a value replaced, not extra detail. */
function replacedBothWays(a: Set<string>, b: Set<string>): boolean {
  const onlyA = [...a].filter((t) => !b.has(t));
  const onlyB = [...b].filter((t) => !a.has(t));
  return (
    onlyA.some((x) => !onlyB.some((y) => sameStem(x, y))) &&
    onlyB.some((y) => !onlyA.some((x) => sameStem(x, y)))
  );
}

function sameStem(x: string, y: string): boolean {
  const n = Math.min(x.length, y.length, 4);
  return n >= 3 && x.slice(0, n) === y.slice(0, n);
}
