import { STOPWORDS } from "../dedup/normalise.js";

/**
 * The terms a fact stands or falls by — numbers, dates, names, identifiers — and whether a piece
 * of log text supports each of them. Pure. Used by the grounding check (grounding.ts): a quote
 * that mentions the topic but not the fact's amount does not ground it.
 */
export interface KeyTerms {
  /** ISO dates (YYYY-MM-DD). */
  dates: string[];
  /** Numbers with thousands separators removed and leading zeros dropped ("2,500" → "2500", "08" → "8"). */
  numbers: string[];
  /** Lower-cased names: capitalised words that do not start a sentence, acronyms, weekdays and months. */
  names: string[];
  /** Lower-cased identifiers: tokens mixing letters and digits or holding `_ / # @ .` ("FF-203377", "event_id"). */
  ids: string[];
}

const MONTHS = "january february march april may june july august september october november december".split(
  " ",
);
const MONTH_SHORT = MONTHS.map((m) => m.slice(0, 3));
const WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split(" ");
const ISO_DATE = /\b(\d{4})-(\d{2})-(\d{2})\b/g;
const WORD = /[\p{L}\p{N}][\p{L}\p{N}_\-/#@.']*[\p{L}\p{N}]|[\p{L}\p{N}]/gu;
const NUMBER = /\d+(?:[.,]\d+)*/g;
/** Phrases that make a date in a fact a resolution of the log's own time: days ahead ("next Tuesday" → 2026-11-24)… */
const RELATIVE_NEAR =
  /\b(?:today|tonight|tomorrow|yesterday|(?:mon|tues|wednes|thurs|fri|satur|sun)days?|(?:this|next|coming) week(?:end)?|in (?:\d+|a few|two|three) days)\b/i;
/** …or up to a year ahead ("from next month", "from now on"). */
const RELATIVE_FAR =
  /\b(?:(?:this|next|coming|following) (?:month|year|quarter|season)|from now on|going forward|(?:in|within) (?:\d+|a|one|two|three|six) (?:weeks?|months?)|end of (?:the )?(?:month|year|quarter))\b/i;

/** Key terms of a fact (dates taken out before numbers, so "2026-12-01" is one date, not three numbers). */
export function keyTerms(fact: string): KeyTerms {
  const text = fact.normalize("NFKC");
  const dates = [...text.matchAll(ISO_DATE)].map((m) => m[0]);
  const rest = text.replace(ISO_DATE, " ");
  const numbers = (rest.match(NUMBER) ?? []).map(normaliseNumber);
  const names: string[] = [];
  const ids: string[] = [];
  for (const m of rest.matchAll(WORD)) {
    const word = m[0].replace(/'s$/i, "");
    const lower = word.toLowerCase();
    if (isIdentifier(word)) ids.push(lower);
    else if (isName(word, lower, rest.slice(0, m.index))) names.push(lower);
  }
  return { dates: unique(dates), numbers: unique(numbers), names: unique(names), ids: unique(ids) };
}

function isIdentifier(word: string): boolean {
  if (!/\p{L}/u.test(word) || /^\d+(?:st|nd|rd|th|am|pm|h|min|km|kg|x)$/i.test(word)) return false;
  if (/[_/#@]|\.\p{L}/u.test(word)) return true;
  if (/\d/.test(word) && /\p{Lu}/u.test(word)) return true; // FF-203377, FW27
  return word.split("-").some((part) => /\d/.test(part) && /\p{L}/u.test(part)); // v2beta, 4xl
}

function isName(word: string, lower: string, before: string): boolean {
  if (!/^\p{Lu}/u.test(word) || /\d/.test(word)) return false;
  if (WEEKDAYS.includes(lower.replace(/s$/, "")) || MONTHS.includes(lower)) return true;
  if (/^\p{Lu}{2,}$/u.test(word) || /\p{Lu}/u.test(word.slice(1))) return true; // SFTP, EDIFACT, PostNord
  if (STOPWORDS.has(lower)) return false;
  // A capitalised word that starts the fact or a sentence is usually not a name.
  return !/(?:^|[.!?;:]\s*|\s[-–—]\s*)$/u.test(before.trimEnd() === "" ? "" : before);
}

/**
 * Whether `support` (the quote and the entries it comes from) carries every key term; the first
 * missing one otherwise. A date may also be a relative phrase in the quote itself, resolved against
 * the entries' dates (`entryDates`).
 */
export function missingTerm(
  terms: KeyTerms,
  quote: string,
  support: string,
  entryDates: string[],
): { term: string; kind: "date" | "number" | "name" | "identifier" } | null {
  const text = support.normalize("NFKC").toLowerCase();
  const near = RELATIVE_NEAR.test(quote);
  const far = RELATIVE_FAR.test(quote);
  for (const id of terms.ids) if (!text.includes(id)) return { term: id, kind: "identifier" };
  const dates = new Set([...datesIn(text, entryDates[0] ?? ""), ...entryDates]);
  const ahead = far ? 366 : near ? 14 : null;
  for (const d of terms.dates) {
    if (dates.has(d)) continue;
    if (ahead !== null && entryDates.some((e) => daysBetween(e, d) >= -7 && daysBetween(e, d) <= ahead))
      continue;
    return { term: d, kind: "date" };
  }
  const numbers = new Set([...(text.match(NUMBER) ?? []).map(normaliseNumber), ...numberWords(text)]);
  const years = new Set(entryDates.flatMap((e) => [e.slice(0, 4), String(Number(e.slice(0, 4)) + 1)]));
  for (const n of terms.numbers) {
    if (numbers.has(n) || years.has(n)) continue;
    return { term: n, kind: "number" };
  }
  const words = new Set((text.match(WORD) ?? []).map((w) => w.replace(/'s$/, "")));
  for (const name of terms.names) {
    if (words.has(name) || [...words].some((w) => inflected(name, w) || inflected(w, name))) continue;
    return { term: name, kind: "name" };
  }
  return null;
}

/** "Tuesday" / "Tuesdays", "Norway" / "Norwegian"-style endings, "Europe" / "European". */
function inflected(a: string, b: string): boolean {
  return a.length >= 4 && b.startsWith(a) && b.length - a.length <= 3;
}

function normaliseNumber(raw: string): string {
  const plain = /^\d{1,3}(?:[.,]\d{3})+$/.test(raw) ? raw.replace(/[.,]/g, "") : raw.replace(/,/g, ".");
  return plain.replace(/^0+(?=\d)/, "");
}

const NUMBER_WORDS = "zero one two three four five six seven eight nine ten eleven twelve".split(" ");

function numberWords(text: string): string[] {
  const out: string[] = [];
  for (const [i, w] of NUMBER_WORDS.entries()) if (new RegExp(`\\b${w}\\b`).test(text)) out.push(String(i));
  if (/\btwice\b/.test(text)) out.push("2");
  return out;
}

/** ISO dates written in the text: 2026-12-01, 1 December 2026, December 1, 1.12.2026, 01/12. */
export function datesIn(text: string, context: string): string[] {
  const out = [...text.matchAll(ISO_DATE)].map((m) => m[0]);
  const year = Number(context.slice(0, 4)) || new Date().getUTCFullYear();
  const month = "(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?";
  const push = (d: number, m: number, y: string | undefined) => {
    if (m < 1 || m > 12 || d < 1 || d > 31) return;
    let iso = `${y ?? year}-${pad(m)}-${pad(d)}`;
    if (!y && context && daysBetween(context, iso) < -7) iso = `${year + 1}-${pad(m)}-${pad(d)}`;
    out.push(iso);
  };
  for (const m of text.matchAll(
    new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\.? (?:of )?${month}(?:,? (\\d{4}))?`, "g"),
  ))
    push(Number(m[1]), MONTH_SHORT.indexOf(m[2]!) + 1, m[3]);
  for (const m of text.matchAll(new RegExp(`\\b${month} (\\d{1,2})(?:st|nd|rd|th)?\\b(?:,? (\\d{4}))?`, "g")))
    push(Number(m[2]), MONTH_SHORT.indexOf(m[1]!) + 1, m[3]);
  for (const m of text.matchAll(/\b(\d{1,2})[./](\d{1,2})(?:[./](\d{4}))?\b/g))
    push(Number(m[1]), Number(m[2]), m[3]);
  return out;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

function daysBetween(fromIso: string, toIso: string): number {
  return (Date.parse(toIso.slice(0, 10)) - Date.parse(fromIso.slice(0, 10))) / 86_400_000;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
