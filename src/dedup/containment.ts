import { verbIndex } from "../consolidate/statement.js";
import type { FactProfile, PairDecision } from "./decide.js";
import { guardFailure } from "./guards.js";
import { differentSubjects } from "./identifiers.js";
import { STOPWORDS, tokensOf } from "./normalise.js";

/**
 * Containment: one fact says everything another says and more — the same words in the same
 * order with a qualifier added ("The Porto store opens at 10:00." / "… at 10:00 on weekdays and
 * Saturdays.", "… (since 2024).", "From 2025, …", "The Malmo store, opened in 2022, stocks …").
 * A character score sees such a short/long pair as far apart, so it has its own rule: the shorter
 * fact is removed in favour of the longer when every guard passes and the added words neither
 * restrict nor retract what the shorter one says; otherwise the pair is listed for review.
 */
export interface Extension {
  /** Where the longer fact adds its words: after, before or inside the shorter one. */
  shape: "after" | "before" | "inside";
  /** The added text, as written in the longer (normalised) fact. */
  added: string;
  /** Whether the added words are set off: by a comma, semicolon or parentheses. */
  delimited: boolean;
  /** For "inside": how many of the shorter fact's words come before the added ones. */
  wordsBefore?: number;
}

/** Words that, added to a fact, narrow, hedge or retract it: the longer fact may not say the same. */
const RESTRICTING = new Set(
  (
    "except excluding exclude excludes apart only solely just but however although though unless " +
    "until till formerly previously former used longer anymore instead rather or either sometimes " +
    "occasionally rarely seldom usually maybe perhaps possibly probably allegedly reportedly supposedly " +
    "planned proposed draft mistake error wrongly incorrectly temporarily suspended cancelled canceled " +
    "discontinued stopped ended expired closed plus extra per more less fewer than says said say " +
    "claimed according vow vows"
  ).split(" "),
);

/** Words that open a qualifier ("during the sale", "including VAT"), besides the function words. */
const PREPOSITIONS = new Set(
  "during since within across around through after before near inside outside between among including except until".split(
    " ",
  ),
);

/**
 * Whether `large` (normalised) is `small` (normalised) with words added: after it (at a word
 * boundary), before it, or inside it at one place. Null when `small`'s text is not kept whole.
 */
export function extensionOf(small: string, large: string): Extension | null {
  const n = small.length;
  if (n === 0 || large.length <= n) return null;
  if (large.startsWith(small) && /[\s,;(]/.test(large[n]!)) {
    const added = large.slice(n);
    return { shape: "after", added, delimited: /^\s*[,;(]/.test(added) };
  }
  if (large.endsWith(small) && large[large.length - n - 1] === " ") {
    const added = large.slice(0, large.length - n);
    return { shape: "before", added, delimited: /,\s*$/.test(added) };
  }
  let p = 0;
  while (p < n && small[p] === large[p]) p++;
  let q = 0;
  while (q < n && small[n - 1 - q] === large[large.length - 1 - q]) q++;
  // A split of `small` at a space, kept on both sides: small[0, s) + added + small[s, n).
  for (let s = Math.min(p, n - 1); s >= n - q && s > 0; s--) {
    if (small[s] !== " ") continue;
    const added = large.slice(s, large.length - (n - s));
    const delimited = /^\s*[,(]/.test(added) && /[,)]\s*$/.test(added);
    return { shape: "inside", added, delimited, wordsBefore: tokensOf(small.slice(0, s)).length };
  }
  return null;
}

/**
 * The decision for a pair where `large` extends `small` (see `extensionOf`); `side` says which of
 * the pair is the larger, as `PairDecision.superset` does. A firm decision stands; otherwise the
 * pair is at least a review pair, and the general rule may still find it a duplicate.
 */
export function decideExtension(
  small: FactProfile,
  large: FactProfile,
  extension: Extension,
  score: number,
  side: "a" | "b",
): { decision: PairDecision; firm: boolean } {
  const verdict = (band: PairDecision["band"], reason: string, firm = true) => ({
    decision: { band, score, reason, superset: side },
    firm,
  });
  const subjects = differentSubjects(small.subjects, large.subjects);
  if (subjects) return verdict("distinct", `different subjects (${subjects})`);
  const added = tokensOf(extension.added);
  const said = `the longer one adds “${extension.added.trim()}”`;
  const failure = guardFailure(small.guards, large.guards, true);
  if (failure) return verdict("review", `${said}: ${failure}`);
  // Words added inside the subject, before the verb, may name another thing ("iPad" / "iPad (3rd
  // generation) was developed by …").
  if (extension.shape === "inside" && extension.wordsBefore !== undefined) {
    const verb = verbIndex(tokensOf(small.key));
    if (verb === -1 || extension.wordsBefore <= verb)
      return verdict("review", `${said} to its subject, which may name another thing`);
  }
  const restricting = added.find((t) => RESTRICTING.has(t));
  if (restricting) return verdict("review", `${said}, which may narrow it (${restricting})`);
  if (small.content.size < 2) return verdict("review", `${said} to a fact of one word`, false);
  if (continuesValue(small, large, extension, added)) {
    return verdict("review", `${said}, which may change a name or number`);
  }
  const opening = extension.shape === "before" || !extension.delimited;
  if (opening && !STOPWORDS.has(added[0] ?? "") && !PREPOSITIONS.has(added[0] ?? "")) {
    return verdict("review", `${said}, which may say something new about it`, false);
  }
  if (!extension.delimited && !added.some((t) => carriesValue(t, large))) {
    return verdict("review", `${said}, a detail without a time, number or name`, false);
  }
  return verdict("duplicate", `contained: ${said}`);
}

/** A number, date, weekday or month, or a name: a qualifier the guards can hold the pair to. */
function carriesValue(token: string, p: FactProfile): boolean {
  return (
    /\p{N}/u.test(token) || p.guards.names.has(token) || p.guards.quantities.includes(token.replace(/s$/, ""))
  );
}

/**
 * Whether the added words run on from a name or number of the shorter fact ("… in Porto" / "… in
 * Porto Alegre", "10" / "10 000"): then they may name another place or amount.
 */
function continuesValue(
  small: FactProfile,
  large: FactProfile,
  extension: Extension,
  added: string[],
): boolean {
  if (added.length === 0 || /^[,;(]|[,;)]$/.test(extension.added.trim())) return false;
  const words = tokensOf(small.key);
  const isValue = (t: string | undefined, p: FactProfile) =>
    t !== undefined && (p.guards.names.has(t) || /\p{N}/u.test(t));
  if (extension.shape === "after") return isValue(words.at(-1), small) && isValue(added[0], large);
  if (extension.shape === "before") return isValue(words[0], small) && isValue(added.at(-1), large);
  return false;
}
