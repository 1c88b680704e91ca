import { stemmer } from "stemmer";
import { readAliases } from "../brain/aliases.js";
import type { Db } from "../state/db.js";
import { STOPWORDS } from "./query.js";

/**
 * The brain's own vocabulary: groups of names for one thing, read from glossary facts (files whose
 * frontmatter `tags` hold `glossary`) and from `aliases:` frontmatter (the file's title and its
 * aliases name its subject). A query that names one member of a group is searched for the others
 * too, weighted below its own words.
 */
export interface NameGroup {
  names: string[];
  /** Where the group was read from: "company/glossary.md:20" or "customer-service/policies/gift-cards.md (aliases)". */
  from: string;
}

/** What a query was widened with, for `kb search --json` and the MCP tool: the name it held, the names added, and their source. */
export interface Expansion {
  /** The name the query held, as the vocabulary writes it. */
  term: string;
  added: string[];
  from: string;
}

/** The frontmatter tag that makes a file's facts glossary entries. */
export const GLOSSARY_TAG = "glossary";
/** A name has at most this many words; a longer piece of a definition describes the thing rather than names it. */
const MAX_NAME_WORDS = 4;

/**
 * The names in one glossary fact: "X means Y." or "X is the|a|an|our Y.", each side split at
 * commas and " or " (the definition only up to a semicolon). Pieces longer than four words are
 * descriptions and are left out; a fact that leaves fewer than two names is not a glossary entry.
 * Pure.
 */
export function glossaryNames(fact: string): string[] {
  const text = fact.replace(/[.!]+\s*$/, "").trim();
  const split = /\s+means\s+|\s+is\s+(?:the|a|an|our)\s+/i.exec(text);
  if (!split) return [];
  // What follows a semicolon is a further remark ("…; staff discount applies only to …"), not a name.
  const definition = text.slice(split.index + split[0].length).split(";")[0]!;
  const sides = [text.slice(0, split.index), definition];
  return distinctNames(sides.flatMap((side) => side.split(/\s*[,;]\s*|\s+or\s+/i)));
}

/** A file's subject names: its title and its aliases. Pure. */
export function aliasNames(title: unknown, aliases: string[]): string[] {
  return distinctNames([typeof title === "string" ? title : "", ...aliases]);
}

function distinctNames(pieces: string[]): string[] {
  const names = new Map<string, string>();
  for (const piece of pieces) {
    const name = trimName(piece);
    const key = nameKey(name);
    if (key && contentWords(name).length <= MAX_NAME_WORDS && !names.has(key)) names.set(key, name);
  }
  return names.size >= 2 ? [...names.values()] : [];
}

/** Drop leading common words ("the", "also", "who"), quotes and brackets: "who runs the company" → "runs the company". */
function trimName(piece: string): string {
  const words = piece
    .replace(/["“”()[\]]/g, " ")
    .trim()
    .split(/\s+/);
  while (
    words.length > 0 &&
    (STOPWORDS.has(words[0]!.toLowerCase()) || /^(also|called|known|named)$/i.test(words[0]!))
  )
    words.shift();
  return words.join(" ");
}

function contentWords(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => !STOPWORDS.has(w));
}

/** Porter stems of a name's content words, sorted: the key two spellings of a name share. */
function nameKey(name: string): string {
  return [...new Set(contentWords(name).map(stem))].sort().join(" ");
}

/** Words with digits (codes, amounts, dates) are kept whole; other words are Porter-stemmed. */
function stem(word: string): string {
  return /\d/.test(word) ? word : stemmer(word);
}

/** Every name group of the indexed brain: glossary facts first, then aliases, in path order. */
export function loadVocabulary(db: Db, brain: string): { groups: NameGroup[]; problems: string[] } {
  const groups: NameGroup[] = [];
  const problems: string[] = [];
  const docs = db.prepare("SELECT path, meta FROM search_docs WHERE brain = ? ORDER BY path").all(brain) as {
    path: string;
    meta: string;
  }[];
  const factsOf = db.prepare(
    "SELECT line, text FROM search_facts WHERE brain = ? AND path = ? ORDER BY line",
  );
  const aliased: NameGroup[] = [];
  for (const doc of docs) {
    // Most files carry neither key; skip the JSON parse for them.
    if (!doc.meta.includes('"aliases"') && !doc.meta.includes(GLOSSARY_TAG)) continue;
    const data = JSON.parse(doc.meta) as Record<string, unknown>;
    const tags = Array.isArray(data.tags) ? data.tags : [data.tags];
    if (tags.includes(GLOSSARY_TAG))
      for (const f of factsOf.all(brain, doc.path) as { line: number; text: string }[]) {
        const names = glossaryNames(f.text);
        if (names.length > 0) groups.push({ names, from: `${doc.path}:${f.line}` });
      }
    const { aliases, problem } = readAliases(data);
    if (problem) problems.push(`${doc.path}: ${problem}`);
    const names = aliasNames(data.title, aliases);
    if (names.length > 0) aliased.push({ names, from: `${doc.path} (aliases)` });
  }
  return { groups: [...groups, ...aliased], problems };
}

/**
 * The query's own terms once the vocabulary has spoken: the words of a name it held of two or
 * more words ("card processor") become that name as one phrase, so "card" alone no longer
 * matches every gift-card fact; other words stay as typed. Pure.
 */
export function ownTerms(words: string[], expansions: Expansion[]): string[] {
  const phrases = expansions.map((e) => e.term).filter((t) => contentWords(t).length > 1);
  const consumed = new Set(phrases.flatMap((p) => nameKey(p).split(" ")));
  const rest = words.filter((w) => !consumed.has(stem(w)));
  return [...rest, ...phrases.map(phraseOf)];
}

/** A name as the words FTS5 matches in a row: "Click & collect" → "click collect". */
export function phraseOf(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/**
 * What the query asks about, one entry per own term (see `ownTerms`): the ways a fact can say it,
 * each as the stems it must hold. A word the vocabulary widened counts as said by any added name.
 */
export function queryConcepts(terms: string[], expansions: Expansion[]): string[][][] {
  return terms.map((term) => {
    const key = nameKey(term);
    const widened = expansions.filter(
      (e) => nameKey(e.term) === key || (key && e.term.toLowerCase() === term),
    );
    return [key, ...widened.flatMap((e) => e.added.map(nameKey))].filter(Boolean).map((k) => k.split(" "));
  });
}

/** The stems of a text, as `queryConcepts` compares them. */
export function textStems(text: string): Set<string> {
  return new Set((text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).map(stem));
}

/**
 * The names a query should also be searched for. A name is in the query when every one of its
 * content words is (stemmed alike, any order); the group's other names are added. Names the
 * query already holds, and repeats, are not added twice. Pure.
 */
export function expandQuery(groups: NameGroup[], words: string[]): Expansion[] {
  const asked = new Set(words.map(stem));
  const held = (name: string) =>
    nameKey(name)
      .split(" ")
      .every((s) => asked.has(s));
  const added = new Set<string>();
  const expansions: Expansion[] = [];
  for (const group of groups) {
    const term = group.names.find(held);
    if (!term) continue;
    const others = group.names.filter((n) => !held(n) && !added.has(nameKey(n)));
    for (const n of others) added.add(nameKey(n));
    if (others.length > 0) expansions.push({ term, added: others, from: group.from });
  }
  return expansions;
}
