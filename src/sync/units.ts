import { parseBrainText } from "../brain/parse.js";
import type { BrainDoc } from "../brain/types.js";

/**
 * A merge unit of a markdown body: either one fact (its list item's own lines) or one line that
 * is not part of a fact (prose, headings, tables, blank lines). Text is LF-normalised and keeps
 * its final newline, so joining units gives back the body.
 */
export interface Unit {
  /** What the alignment compares: the unit's exact text. */
  key: string;
  text: string;
  /** The fact's text (lines joined), for facts only. */
  fact?: string;
}

export interface ParsedSide {
  /** The frontmatter block's YAML text (between the fences), or null when the file has none. */
  yaml: string | null;
  /** Raw frontmatter block (fences included), "" when none. */
  frontmatterBlock: string;
  body: Unit[];
  doc: BrainDoc;
}

export type ParseSideResult = { ok: true; side: ParsedSide } | { ok: false; reason: string };

/** Parse one side of a merge (LF text without BOM) into frontmatter and body units. */
export function parseSide(path: string, text: string): ParseSideResult {
  const parsed = parseBrainText(path, text, { size: text.length, mtimeMs: 0, hash: "" });
  if (!parsed.ok) {
    const where = parsed.error.line ? ` (line ${parsed.error.line})` : "";
    return { ok: false, reason: `${parsed.error.message}${where}` };
  }
  const { doc } = parsed;
  const fm = doc.frontmatter;
  const bodyStart = fm ? fm.end : 0;
  return {
    ok: true,
    side: {
      yaml: fm ? text.slice(fm.yamlStart, fm.yamlEnd) : null,
      frontmatterBlock: fm ? text.slice(fm.start, fm.end) : "",
      body: bodyUnits(text, doc, bodyStart),
      doc,
    },
  };
}

function bodyUnits(text: string, doc: BrainDoc, bodyStart: number): Unit[] {
  const units: Unit[] = [];
  const facts = [...doc.facts].sort((x, y) => x.itemStart - y.itemStart);
  let at = bodyStart;
  let next = 0;
  while (at < text.length) {
    const fact = facts[next];
    if (fact && fact.itemStart === at && fact.itemEnd > at) {
      const unitText = text.slice(fact.itemStart, fact.itemEnd);
      units.push({ key: unitText, text: unitText, fact: fact.text });
      at = fact.itemEnd;
      next++;
      continue;
    }
    if (fact && fact.itemStart < at) {
      next++;
      continue;
    }
    const nl = text.indexOf("\n", at);
    const end = nl === -1 ? text.length : nl + 1;
    const line = text.slice(at, end);
    units.push({ key: line, text: line });
    at = end;
  }
  return units;
}
