import { stemmer } from "stemmer";
import { stripKbComments } from "../brain/provenance.js";
import { STOPWORDS } from "../dedup/normalise.js";
import { isoDate, typedValues, type Value } from "./values.js";

/**
 * A fact read as a statement: the values it gives (typed, located), the words of what it is about
 * (its frame: every other content word, stemmed), where its main verb stands, and any effective
 * date ("from 2027-01-01", "until 2027-01-31"). Two statements with one frame and one value
 * different are two values of one attribute. Pure.
 */
export interface Statement {
  /** The fact without kb comments, NFKC. */
  text: string;
  values: Value[];
  /** Content words outside values and the effective-date phrase, stemmed, in order. */
  frame: string[];
  /** Frame words before the main verb: the subject's own words. */
  subject: string[];
  /** Word index of the main verb, -1 when none was found. */
  verb: number;
  /** The word index each value starts at (same order as `values`). */
  valueWord: number[];
  /**
   * The word that introduces each value, determiners skipped ("by" in "created by Shigeru
   * Miyamoto", "of" in "in the country of United Kingdom"); "" at the start.
   */
  valueLead: string[];
  /** The verb is a copula followed by a definite description ("is the CEO", "is our latest …"). */
  definite: boolean;
  effective: { from?: string; until?: string };
}

interface Word {
  text: string;
  lower: string;
  start: number;
  end: number;
}

/** Lower-case words that may join the capitalised words of one name ("All of Me", "Bank of Norway"). */
const CONNECTORS = new Set(["of", "de", "the", "and", "von", "van", "del", "da"]);
const WORD = /[\p{L}\p{N}]+(?:['’.&-][\p{L}\p{N}]+)*/gu;
const COPULAS = new Set("is are was were becomes became remains".split(" "));
const AUXILIARIES = new Set(
  "is are was were be been has have had does do did can cannot must will would may might should shall gets get got becomes became remains stays".split(
    " ",
  ),
);
/** Verbs facts of a business use, beside the auxiliaries; inflected forms are matched too. */
const VERBS = new Set(
  (
    "accept arrive apply close cost deliver earn end expire go give hold include keep lead leave manage meet " +
    "need offer open own pay perform process reach receive refund replace report require return run sell send " +
    "serve ship sit start take use work write create found bear locate marry employ develop produce play speak " +
    "belong live die win join chair head publish release launch list mean cover handle approve sign book answer " +
    "follow join check count charge"
  ).split(" "),
);
const DETERMINERS = new Set(
  "the a an our its their this that these those every each no his her my your".split(" "),
);
const ROLE_WORDS = new Set(
  "ceo cfo cto coo cmo cio cpo chro ciso president chair chairman chairwoman director head manager lead founder co-founder owner treasurer secretary".split(
    " ",
  ),
);
const CALENDAR_WORD =
  /^(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|(?:mon|tues|wednes|thurs|fri|satur|sun)days?)$/i;
const EFFECTIVE = [
  { kind: "from", re: /\b(?:from|starting|effective|as of|beginning|since)(?: on)?\s+$/i },
  { kind: "until", re: /\b(?:until|till|through|up to and including)\s+$/i },
] as const;

export function readStatement(raw: string): Statement {
  const text = stripKbComments(raw).normalize("NFKC");
  const words = [...text.matchAll(WORD)].map((m) => ({
    text: m[0],
    lower: m[0].toLowerCase(),
    start: m.index!,
    end: m.index! + m[0].length,
  }));
  const effective: Statement["effective"] = {};
  const hidden: [number, number][] = [];
  const values: Value[] = [];
  for (const v of typedValues(text)) {
    const phrase = v.type === "date" ? effectivePhrase(text, v) : null;
    if (phrase && isoDate(v.norm)?.length === 10) {
      effective[phrase.kind] = v.norm;
      hidden.push([phrase.start, v.end]);
    } else values.push(v);
  }
  values.push(...names(words, values));
  values.sort((a, b) => a.start - b.start);
  const inside = (w: Word) =>
    values.some((v) => w.start < v.end && w.end > v.start) ||
    hidden.some(([s, e]) => w.start < e && w.end > s);
  const verb = mainVerb(words);
  const frame: string[] = [];
  const subject: string[] = [];
  words.forEach((w, i) => {
    if (inside(w) || STOPWORDS.has(w.lower)) return;
    const stem = stemOf(w.lower);
    frame.push(stem);
    if (verb !== -1 && i < verb) subject.push(stem);
  });
  const valueWord = values.map((v) =>
    Math.max(
      0,
      words.findIndex((w) => w.end > v.start),
    ),
  );
  const valueLead = valueWord.map((i) => {
    let j = i - 1;
    while (j >= 0 && DETERMINERS.has(words[j]!.lower)) j--;
    return j >= 0 ? words[j]!.lower : "";
  });
  const after = words[verb + 1]?.lower ?? "";
  const definite =
    verb !== -1 &&
    COPULAS.has(words[verb]!.lower) &&
    (DETERMINERS.has(after) || ROLE_WORDS.has(after) || /['’]s$/.test(after));
  return { text, values, frame, subject, verb, valueWord, valueLead, definite, effective };
}

/** The "from"/"until" words right before a date, when they make it an effective date. */
function effectivePhrase(text: string, v: Value): { kind: "from" | "until"; start: number } | null {
  const before = text.slice(Math.max(0, v.start - 30), v.start);
  for (const { kind, re } of EFFECTIVE) {
    const m = re.exec(before);
    if (m) return { kind, start: v.start - before.length + m.index };
  }
  return null;
}

/**
 * Names: runs of capitalised words ("Ingrid Dahl", "United Kingdom", "Love Me Do", "The Beatles").
 * A lone capitalised word opening the fact is left to the frame (it may be any word); role words
 * ("CEO") are part of the attribute, and month and weekday names are typed values.
 */
function names(words: Word[], typed: Value[]): Value[] {
  const out: Value[] = [];
  const isCap = (w: Word) =>
    /^\p{Lu}/u.test(w.text) &&
    !ROLE_WORDS.has(w.lower) &&
    !CALENDAR_WORD.test(w.text) &&
    !typed.some((v) => w.start < v.end && w.end > v.start);
  for (let i = 0; i < words.length; i++) {
    if (!isCap(words[i]!)) continue;
    let j = i;
    for (;;) {
      if (j + 1 < words.length && joined(words, j) && isCap(words[j + 1]!)) j++;
      else if (
        j + 2 < words.length &&
        CONNECTORS.has(words[j + 1]!.lower) &&
        joined(words, j) &&
        joined(words, j + 1) &&
        isCap(words[j + 2]!)
      )
        j += 2;
      else break;
    }
    // "Free EU shipping": an opening word before an acronym is not part of its name.
    const start = i === 0 && j > 0 && /^\p{Lu}{2,}$/u.test(words[1]!.text) ? 1 : i;
    const run = words.slice(start, j + 1);
    const opensFact = start === 0 && run.length === 1;
    if (!opensFact && !(run.length === 1 && STOPWORDS.has(run[0]!.lower) && start === 0)) {
      const norm = run
        .map((w) => w.lower)
        .join(" ")
        .replace(/^the /, "");
      out.push({ type: "name", norm, start: run[0]!.start, end: run.at(-1)!.end });
    }
    i = j;
  }
  return out;
}

/** Whether word j and j+1 are separated by a space only (no comma or other punctuation). */
function joined(words: Word[], j: number): boolean {
  return words[j + 1]!.start - words[j]!.end === 1;
}

function mainVerb(words: Word[]): number {
  return verbIndex(words.map((w) => w.lower));
}

/**
 * The index of the main verb among lower-case words: the first auxiliary or known verb after the
 * first word. A known verb after a determiner or before "of" is a noun ("the head of the
 * government", "the end of the month").
 */
export function verbIndex(lower: string[]): number {
  for (let i = 1; i < lower.length; i++) {
    const w = lower[i]!;
    if (DETERMINERS.has(lower[i - 1]!)) continue;
    if (AUXILIARIES.has(w)) return i;
    if ((VERBS.has(w) || VERBS.has(baseOf(w))) && lower[i + 1] !== "of") return i;
  }
  return -1;
}

function baseOf(w: string): string {
  if (w.endsWith("ies")) return `${w.slice(0, -3)}y`;
  if (w.endsWith("ed"))
    return w.endsWith("ied") ? `${w.slice(0, -3)}y` : undouble(w.slice(0, -2), w.slice(0, -1));
  if (w.endsWith("es") && /(?:sh|ch|ss|x|o)es$/.test(w)) return w.slice(0, -2);
  if (w.endsWith("s") && !w.endsWith("ss")) return w.slice(0, -1);
  return w;
}

/** "shipped" → "ship", "opened" → "open", "arrived" → "arrive". */
function undouble(stem: string, withE: string): string {
  if (/([bdgklmnprt])\1$/.test(stem)) return stem.slice(0, -1);
  return VERBS.has(stem) ? stem : VERBS.has(withE) ? withE : stem;
}

/**
 * The Porter stem, so "shipping" / "ships" / "shipped" / "ship" meet while two names that share
 * their first letters ("Dakano" / "Dakanelo") stay apart.
 */
export function stemOf(word: string): string {
  let stem = stems.get(word);
  if (stem === undefined) {
    if (stems.size >= STEM_CACHE) stems.clear();
    stem = stemmer(word.replace(/['’]s$/, ""));
    stems.set(word, stem);
  }
  return stem;
}

/** A brain repeats a few thousand words across its facts: stem each once. */
const stems = new Map<string, string>();
const STEM_CACHE = 100_000;
