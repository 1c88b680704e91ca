import { stripKbComments } from "../brain/provenance.js";
import { STOPWORDS, TOKEN, tokensOf } from "./normalise.js";

/**
 * Guards: two facts that look alike are merged only when they agree on the tokens that carry
 * meaning a character score cannot see — numbers, dates, money, percentages, versions, negation,
 * names, role words, and a small list of antonyms. A failed guard turns a near-duplicate into a
 * contradiction.
 */
export interface GuardFeatures {
  /** Numbers, money, percentages, versions, month and weekday names; sorted, repeats kept. */
  quantities: string[];
  negated: boolean;
  /** Capitalised words that are not function words (names, acronyms), lower-cased. */
  names: Set<string>;
  /** Capitalised, not all-caps, not role words, in order of appearance: people and places. */
  persons: string[];
  roles: Set<string>;
  tokens: Set<string>;
  /** The lower-cased tokens in order, to tell "yes … no" from "no … yes". */
  order: string[];
}

const NUMBER_WORDS = new Map(
  "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty"
    .split(" ")
    .map((w, i) => [w, String(i)]),
);
const CALENDAR = new Set(
  (
    "january february march april may june july august september october november december " +
    "jan feb mar apr jun jul aug sep sept oct nov dec " +
    "monday tuesday wednesday thursday friday saturday sunday weekday weekend"
  ).split(" "),
);
const ROLES = new Set(
  (
    "ceo cfo cto coo cmo cio cpo chro ciso president vp director manager head lead intern senior junior " +
    "chair chairman chairwoman founder cofounder co-founder owner assistant deputy principal partner " +
    "treasurer secretary supervisor contractor trainee"
  ).split(" "),
);
const NEGATIONS = new Set(
  "no not never none nobody nothing neither nor cannot can't won't don't doesn't didn't isn't aren't wasn't weren't hasn't haven't hadn't shouldn't wouldn't couldn't mustn't without unavailable".split(
    " ",
  ),
);
const CJK_NEGATION = /[不没沒无無非未別别]|ない|ません|않|안 /u;

/** Pairs of words that flip a fact's meaning while leaving it looking the same. */
const ANTONYMS: [string, string][] = [
  ["top", "bottom"],
  ["up", "down"],
  ["above", "below"],
  ["over", "under"],
  ["before", "after"],
  ["more", "less"],
  ["higher", "lower"],
  ["increase", "decrease"],
  ["increased", "decreased"],
  ["minimum", "maximum"],
  ["min", "max"],
  ["first", "last"],
  ["early", "late"],
  ["earlier", "later"],
  ["open", "closed"],
  ["opens", "closes"],
  ["allowed", "forbidden"],
  ["allowed", "prohibited"],
  ["accepted", "rejected"],
  ["include", "exclude"],
  ["included", "excluded"],
  ["includes", "excludes"],
  ["always", "never"],
  ["buy", "sell"],
  ["import", "export"],
  ["inbound", "outbound"],
  ["debit", "credit"],
  ["enable", "disable"],
  ["enabled", "disabled"],
  ["on", "off"],
  ["start", "end"],
  ["left", "right"],
  ["old", "new"],
  ["oldest", "newest"],
  ["cheap", "expensive"],
  ["cheapest", "most"],
  ["small", "large"],
  ["smaller", "larger"],
  ["man", "woman"],
  ["men", "women"],
  ["boy", "girl"],
  ["boys", "girls"],
  ["he", "she"],
  ["his", "her"],
  ["true", "false"],
  ["yes", "no"],
  ["win", "lose"],
  ["won", "lost"],
  ["profit", "loss"],
  ["internal", "external"],
  ["public", "private"],
  ["required", "optional"],
  ["mandatory", "optional"],
  ["domestic", "international"],
  ["north", "south"],
  ["east", "west"],
  ["day", "night"],
];

function isCalendar(token: string): boolean {
  return CALENDAR.has(token) || CALENDAR.has(token.replace(/s$/, ""));
}

/**
 * A 32-bit hash of a fact's set of names, for the blocking index: facts naming different people or
 * things are never duplicates or contradictions of each other, so they need not be compared.
 * 0 when the fact names nothing (or is written all in lower case).
 */
export function nameSignature(raw: string): number {
  const names: string[] = [];
  for (const { token: t, inTitle } of casedTokens(stripKbComments(raw).normalize("NFKC"))) {
    if (!/\p{Lu}/u.test(t)) continue;
    const lower = t.toLowerCase();
    if (!inTitle && !isNameWord(t, lower)) continue;
    if (!names.includes(lower)) names.push(lower);
  }
  if (names.length === 0) return 0;
  let h = 0x811c9dc5;
  for (const ch of names.sort().join(" ")) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  return h >>> 0 || 1;
}

/** A capitalised token that names someone or something: not a stopword, negation, role, date or number. */
function isNameWord(token: string, lower: string): boolean {
  return !(
    STOPWORDS.has(lower) ||
    NEGATIONS.has(lower) ||
    ROLES.has(lower) ||
    isCalendar(lower) ||
    /^\p{N}/u.test(token)
  );
}

/**
 * The tokens in order, each with whether it is a capitalised function word inside a title: after a
 * name word in one run of capitalised words ("Love Me Do", "Love You To", "Gone With The Wind").
 * Such a word is part of the name, so "Love Me Do" and "Love You To" name different songs. A run's
 * leading function word ("The Beatles", "In Oslo") stays a function word.
 */
function casedTokens(cased: string): { token: string; inTitle: boolean }[] {
  const out: { token: string; inTitle: boolean }[] = [];
  let named = false;
  let end = -1;
  for (const m of cased.matchAll(TOKEN)) {
    const token = m[0];
    const capital = /^\p{Lu}/u.test(token);
    // A run of capitalised words is broken by a lower-case word or by anything but spaces between two words.
    if (!capital || (end >= 0 && !/^[ \t]+$/.test(cased.slice(end, m.index)))) named = false;
    const lower = token.toLowerCase();
    const functionWord = STOPWORDS.has(lower);
    out.push({ token, inTitle: capital && named && functionWord && !/^\p{Lu}+$/u.test(token) });
    if (capital && isNameWord(token, lower)) named = true;
    end = m.index + token.length;
  }
  return out;
}

/** The reason prefix when the facts name different people or things: about different subjects. */
export const NAMES_DIFFER = "names differ";

export function guardFeatures(raw: string): GuardFeatures {
  const cased = stripKbComments(raw).normalize("NFKC");
  const tokens = tokensOf(cased.toLowerCase());
  const quantities: string[] = [];
  let negated = CJK_NEGATION.test(cased);
  for (const t of tokens) {
    if (/\p{N}/u.test(t)) quantities.push(t.replace(/[.,]$/, ""));
    else if (NUMBER_WORDS.has(t)) quantities.push(NUMBER_WORDS.get(t)!);
    else if (isCalendar(t)) quantities.push(t.replace(/s$/, ""));
    if (NEGATIONS.has(t) || t.endsWith("n't")) negated = true;
  }
  const names = new Set<string>();
  const persons: string[] = [];
  for (const { token: t, inTitle } of casedTokens(cased)) {
    if (!/^\p{Lu}/u.test(t) && !/\p{Lu}/u.test(t.slice(1))) continue;
    const lower = t.toLowerCase();
    if (inTitle) names.add(lower);
    if (!isNameWord(t, lower)) continue;
    names.add(lower);
    if (t !== t.toUpperCase() && !persons.includes(lower)) persons.push(lower);
  }
  const set = new Set(tokens);
  const roles = new Set(tokens.filter((t) => ROLES.has(t)));
  return { quantities: quantities.sort(), negated, names, persons, roles, tokens: set, order: tokens };
}

/**
 * Why two facts must not be merged, or null when every guard passes. With `subset`, `a` may carry
 * less than `b` (a superset pair): `a`'s quantities, names and roles need only appear in `b`.
 */
export function guardFailure(
  a: GuardFeatures,
  b: GuardFeatures,
  subset = false,
  /** The same content words in rotated order ("X is Y" / "Y is X"): name order may differ. */
  rotated = false,
): string | null {
  const name = subset
    ? missingName(a.names, b.tokens)
    : (missingName(a.names, b.tokens) ?? missingName(b.names, a.tokens));
  if (name) return `${NAMES_DIFFER} (${name})`;
  const quantity = subset
    ? missingFrom(a.quantities, b.quantities)
    : multisetDiff(a.quantities, b.quantities);
  if (quantity) return `numbers differ (${quantity})`;
  if (a.negated !== b.negated) return "negation differs";
  for (const [x, y] of ANTONYMS) {
    if (flips(a.tokens, b.tokens, x, y) || flips(b.tokens, a.tokens, x, y)) return `antonyms (${x} / ${y})`;
  }
  const role = subset
    ? firstMissing(a.roles, b.roles)
    : (firstMissing(a.roles, b.roles) ?? firstMissing(b.roles, a.roles));
  if (role) return `roles differ (${role})`;
  for (const [x, y] of ANTONYMS) {
    if (a.tokens.has(x) && a.tokens.has(y) && b.tokens.has(x) && b.tokens.has(y)) {
      if (a.order.indexOf(x) < a.order.indexOf(y) !== b.order.indexOf(x) < b.order.indexOf(y)) {
        return `antonyms swapped (${x} / ${y})`;
      }
    }
  }
  const common = a.persons.filter((p) => b.persons.includes(p));
  const order = b.persons.filter((p) => common.includes(p));
  if (!rotated && common.join(" ") !== order.join(" ")) return `names swapped (${common.join(", ")})`;
  return null;
}

function flips(a: Set<string>, b: Set<string>, x: string, y: string): boolean {
  return a.has(x) && !a.has(y) && b.has(y) && !b.has(x);
}

/** A name of `names` missing from `tokens`, inflections aside ("Escalate" / "escalated", "Europe" / "European"). */
function missingName(names: Set<string>, tokens: Set<string>): string | null {
  for (const name of names) {
    if (tokens.has(name)) continue;
    const inflected = (a: string, b: string) => a.length >= 4 && b.startsWith(a) && b.length - a.length <= 3;
    if ([...tokens].some((t) => inflected(name, t) || inflected(t, name))) continue;
    return name;
  }
  return null;
}

function firstMissing(from: Set<string>, inside: Set<string>): string | null {
  for (const v of from) if (!inside.has(v)) return v;
  return null;
}

/** "60 ≠ 50" when the sorted lists differ, else null. */
function multisetDiff(a: string[], b: string[]): string | null {
  if (a.join("\u0000") === b.join("\u0000")) return null;
  const onlyA = a.filter((v) => !b.includes(v));
  const onlyB = b.filter((v) => !a.includes(v));
  return `${onlyA.join(", ") || a.join(", ") || "none"} ≠ ${onlyB.join(", ") || b.join(", ") || "none"}`;
}

/** The first of `a` (a multiset) that `b` lacks, as "x ≠ …", else null. */
function missingFrom(a: string[], b: string[]): string | null {
  const pool = [...b];
  for (const v of a) {
    const i = pool.indexOf(v);
    if (i === -1) return `${v} ≠ ${b.join(", ") || "none"}`;
    pool.splice(i, 1);
  }
  return null;
}
