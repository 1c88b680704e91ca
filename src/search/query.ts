import { stemmer as stem } from "stemmer";
import { UsageError } from "../errors.js";

/** Words too common to tell facts apart; dropped from a query, and a query of only these is refused. */
export const STOPWORDS = new Set(
  (
    "a an and are as at be by can do does did for from has have how i if in into is it its of on or our " +
    "so than that the their them then there these they this to was we were what when where which who whom " +
    "why will with you your us any all about after before not no yes should would could must may"
  ).split(" "),
);

/** Words that, after "how", make a question rather than name what it is about. */
const HOW_WORDS = new Set([
  "long",
  "much",
  "many",
  "often",
  "soon",
  "far",
  "fast",
  "quickly",
  "late",
  "early",
]);

/**
 * The words of what a person or agent typed that are worth looking for: lower case, each once,
 * without the commonest English words. Questions work as they are; a query of only common words
 * ("the") would rank facts at random, so it is refused like an empty one.
 */
export function queryWords(query: string): string[] {
  const typed = query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  // "How long", "how much", "how often": the second word asks the question; facts state the answer.
  const asking = new Set(typed.filter((w, i) => typed[i - 1] === "how" && HOW_WORDS.has(w)));
  const words = [...new Set(typed)];
  const content = words.filter((w) => !STOPWORDS.has(w) && !asking.has(w));
  if (content.length === 0)
    throw new UsageError(
      "SEARCH_EMPTY_QUERY",
      `search query ${JSON.stringify(query)} has no words to search for${words.length > 0 ? ` (${words.map((w) => `"${w}"`).join(", ")} ${words.length === 1 ? "is" : "are"} too common to tell facts apart)` : ""}; give a word the facts would contain, e.g. "returns window"`,
    );
  return content;
}

/** An FTS5 query for the words: each quoted (punctuation and FTS5 keywords are just text), joined by `op`. */
export function matchQuery(words: string[], op: "AND" | "OR"): string {
  return words.map((w) => `"${w}"`).join(` ${op} `);
}

/**
 * The words of a query that name something exactly, lower-cased: a code or number (any word with
 * a digit), an acronym ("HR", "PSP"), and a capitalised word that does not start a sentence
 * ("who is Lars"). A query typed all in capitals-per-word ("Gift Card Validity") names nothing
 * exactly by case. The index stems every word, so these are held to their exact form after ranking.
 */
export function exactNames(query: string): string[] {
  const words = [...query.matchAll(/[\p{L}\p{N}]+/gu)].filter((m) => !STOPWORDS.has(m[0].toLowerCase()));
  const capital = (w: string) => /^\p{Lu}/u.test(w);
  const titleCase = words.length > 1 && words.every((m) => capital(m[0]) || /\p{N}/u.test(m[0]));
  const names = words.filter(({ 0: w, index }) => {
    if (/\p{N}/u.test(w)) return true;
    if (w.length >= 2 && w === w.toUpperCase() && /\p{Lu}/u.test(w)) return true;
    const before = query.slice(0, index).trimEnd();
    const sentenceStart = before === "" || /[.!?:;]$/.test(before);
    return capital(w) && !titleCase && !sentenceStart;
  });
  return [...new Set(names.map((m) => m[0].toLowerCase()))];
}

/**
 * Whether a fact meets one of the query's exact names only through the stemmer: it holds a word
 * of the same stem ("well" for "Wells", "banking" for "Banks") but never the name itself.
 */
export function namesOnlyByStem(
  names: string[],
  row: { text: string; section: string; path: string },
): boolean {
  if (names.length === 0) return false;
  const words = new Set(
    `${row.text} ${row.section} ${row.path.replace(/\.md$/i, "")}`.toLowerCase().match(/[\p{L}\p{N}]+/gu) ??
      [],
  );
  return names.some((name) => {
    if (words.has(name)) return false;
    const root = stem(name);
    return [...words].some((w) => stem(w) === root);
  });
}
