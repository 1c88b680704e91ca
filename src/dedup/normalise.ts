import { stripKbComments } from "../brain/provenance.js";

/**
 * The dedup normalisation: kb comments stripped, Unicode NFKC, lower case, list markers, checkbox,
 * emphasis marks and trailing punctuation removed, whitespace collapsed. Two facts with the same
 * normalised text are exact duplicates.
 */
export function normaliseFact(text: string): string {
  return stripKbComments(text)
    .normalize("NFKC")
    .toLowerCase()
    .replace(/^\s*(?:[-*+]|\d{1,9}[.)])\s+/, "")
    .replace(/^\s*\[[ x]\]\s+/, "")
    .replace(/(\*\*|__|`|~~)/g, "")
    .replace(/(\p{L})[-‐–](?=\p{L})/gu, "$1 ")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/[\s.!?;:,…。！？；：、]+$/u, "")
    .trim();
}

/** Scripts written without spaces between words: each character is a token of its own. */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/u;
export const TOKEN =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]|[€$£¥]?[\p{L}\p{N}]+(?:['’.,:/-][\p{L}\p{N}]+)*%?/gu;

/** Word tokens of already normalised (or raw) text; CJK characters are single tokens. */
export function tokensOf(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

export function isCjkToken(token: string): boolean {
  return token.length === 1 && CJK.test(token);
}

/** Function words that carry no content on their own (English; CJK particles are few and kept). */
export const STOPWORDS = new Set(
  (
    "a an the is are was were be been being am of to in on at by for from with as and or but " +
    "that this these those it its it's there their they them he she his her we our us you your i my me " +
    "has have had do does did will would shall should can could may might must also just very so such " +
    "into onto over than then which who whom whose what when where how all any each every some per via " +
    "s 's about"
  ).split(" "),
);

/** The content tokens of a normalised fact: stopwords dropped, a light plural fold (returns → return). */
export function contentTokens(normalised: string): Set<string> {
  const out = new Set<string>();
  for (const t of tokensOf(normalised)) {
    if (STOPWORDS.has(t)) continue;
    out.add(foldPlural(t));
  }
  return out;
}

/** The content tokens in order, repeats kept ("late delivery … delivery team"). */
export function contentSequence(normalised: string): string[] {
  return tokensOf(normalised)
    .filter((t) => !STOPWORDS.has(t))
    .map(foldPlural);
}

/** Whether `b` lists the same words as `a` starting elsewhere ("X is Y" / "Y is X"): a rotation. */
export function isRotation(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  const start = b.indexOf(a[0]!);
  if (start === -1) return false;
  return a.every((t, i) => b[(start + i) % b.length] === t);
}

function foldPlural(token: string): string {
  if (token.length > 3 && token.endsWith("s") && !token.endsWith("ss") && /^\p{L}+$/u.test(token)) {
    return token.slice(0, -1);
  }
  return token;
}
