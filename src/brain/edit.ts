import { KbError } from "../errors.js";
import { sectionOf } from "./parse.js";
import type { BrainDoc, Fact } from "./types.js";

/**
 * Minimal-diff edits. Every operation returns splices (replace [start, end) with `text`) against
 * the file's current text; `applySplices` applies them together. Bytes outside the splices never
 * change: no re-serialising, no reformatting.
 */
export interface Splice {
  start: number;
  end: number;
  text: string;
}

export class EditError extends KbError {}

export function applySplices(text: string, splices: Splice[]): string {
  const sorted = [...splices].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  let limit = Number.POSITIVE_INFINITY;
  for (const s of sorted) {
    if (s.start < 0 || s.end < s.start || s.end > text.length) {
      throw new EditError("EDIT_RANGE", `edit range [${s.start}, ${s.end}) is outside the file`);
    }
    if (s.end > limit) throw new EditError("EDIT_OVERLAP", "two edits overlap in the same file");
    out = out.slice(0, s.start) + s.text + out.slice(s.end);
    limit = s.start;
  }
  return out;
}

/** A fact is one line of text: no line breaks. */
export function assertFactText(text: string): string {
  const clean = text.trim();
  if (clean === "") throw new EditError("FACT_EMPTY", "a fact cannot be empty");
  if (/[\r\n]/.test(clean)) throw new EditError("FACT_MULTILINE", "a fact must be a single line of text");
  return clean;
}

export function replaceFact(fact: Fact, text: string): Splice {
  return { start: fact.start, end: fact.end, text: assertFactText(text) };
}

/** Remove a fact's own lines. Refused when nested items or blocks hang under it (they would be orphaned). */
export function removeFact(fact: Fact): Splice {
  if (fact.hasChildren) {
    throw new EditError(
      "FACT_HAS_CHILDREN",
      `the fact on line ${fact.line} has nested items; kb does not remove it automatically`,
    );
  }
  return { start: fact.itemStart, end: fact.itemEnd, text: "" };
}

/**
 * Add a fact under the heading `section` ("Returns" or a path "Policies > Returns"): after the
 * section's last list item at its top level, else at the end of the section, else in a new
 * `## section` at the end of the file.
 */
export function addFact(
  text: string,
  doc: Pick<BrainDoc, "headings" | "facts" | "eol">,
  section: string,
  fact: string,
): Splice {
  const clean = assertFactText(fact);
  const eol = doc.eol;
  const h = findHeading(doc, section);
  if (h === -1) {
    const end = text.length;
    const lead = end === 0 || endsWithNewline(text) ? "" : eol;
    const blank = end === 0 || /(\r?\n){2}$/.test(text) || isOnlyFrontmatter(text) ? "" : eol;
    const title = section.split(" > ").at(-1)!.trim();
    return { start: end, end, text: `${lead}${blank}## ${title}${eol}${eol}- ${clean}${eol}` };
  }
  const inSection = doc.facts.filter((f) => f.heading === h);
  if (inSection.length > 0) {
    const top = Math.min(...inSection.map((f) => f.depth));
    const last = inSection.filter((f) => f.depth === top).at(-1)!;
    const prefix = nextPrefix(last.prefix);
    const at = last.blockEnd;
    const lead = at === text.length && !endsWithNewline(text) ? eol : "";
    return { start: at, end: at, text: `${lead}${prefix}${clean}${eol}` };
  }
  const heading = doc.headings[h]!;
  const next = doc.headings.findIndex((x, i) => i > h && x.depth <= heading.depth);
  const sectionEnd = next === -1 ? text.length : lineOffset(text, doc.headings[next]!.line);
  let at = sectionEnd;
  while (at > 0 && /\s/.test(text[at - 1]!)) at--;
  at = afterLine(text, at);
  const lead = at === text.length && !endsWithNewline(text) ? eol : "";
  const nextLineBlank = /^[ \t]*(\r?\n|\r|$)/.test(text.slice(at, at + 200));
  const trail = at < text.length && !nextLineBlank ? eol : "";
  return { start: at, end: at, text: `${lead}${eol}- ${clean}${eol}${trail}` };
}

/** A new brain file: frontmatter, a title, one section with one fact. */
export function renderNewDoc(options: {
  frontmatter: string;
  title: string;
  section: string;
  fact: string;
  eol?: "\n" | "\r\n";
}): string {
  const eol = options.eol ?? "\n";
  const fm = options.frontmatter.trim()
    ? `---${eol}${options.frontmatter.trimEnd().split(/\r?\n/).join(eol)}${eol}---${eol}${eol}`
    : "";
  return `${fm}# ${options.title}${eol}${eol}## ${options.section}${eol}${eol}- ${assertFactText(options.fact)}${eol}`;
}

export function findHeading(doc: Pick<BrainDoc, "headings">, section: string): number {
  const wanted = normaliseHeading(section);
  if (section.includes(" > ")) {
    return doc.headings.findIndex((_, i) => normaliseHeading(sectionOf(doc, i)) === wanted);
  }
  return doc.headings.findIndex((h) => normaliseHeading(h.text) === wanted);
}

function normaliseHeading(text: string): string {
  return text.normalize("NFKC").trim().toLowerCase().replace(/\s+/g, " ");
}

/** The prefix for the next sibling: the same indentation and bullet, or the next number. */
function nextPrefix(prefix: string): string {
  const checkbox = prefix.replace(/\[[ xX]\]\s*$/, "");
  return checkbox.replace(
    /(\d{1,9})([.)])(\s*)$/,
    (_, n: string, d: string, s: string) => `${Number(n) + 1}${d}${s}`,
  );
}

function endsWithNewline(text: string): boolean {
  return text.endsWith("\n") || text.endsWith("\r");
}

function isOnlyFrontmatter(text: string): boolean {
  return /^\uFEFF?---\r?\n[\s\S]*?\r?\n(---|\.\.\.)\s*$/.test(text);
}

/** Offset of the start of 1-based line `line`. */
function lineOffset(text: string, line: number): number {
  let at = 0;
  for (let n = 1; n < line; n++) {
    const i = text.indexOf("\n", at);
    if (i === -1) return text.length;
    at = i + 1;
  }
  return at;
}

function afterLine(text: string, at: number): number {
  const i = text.indexOf("\n", at);
  return i === -1 ? text.length : i + 1;
}
