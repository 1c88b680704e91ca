import { readFrontmatter } from "./frontmatter.js";
import { readStructure } from "./markdown.js";
import { decodeText, detectEol, hashText } from "./text.js";
import type { BrainDoc, ScanError } from "./types.js";

export type ParseResult = { ok: true; doc: BrainDoc; text: string } | { ok: false; error: ScanError };

/** Parse a brain file's bytes into a document. Pure. */
export function parseBrainFile(
  path: string,
  bytes: Uint8Array,
  stat: { size: number; mtimeMs: number },
): ParseResult {
  const decoded = decodeText(bytes);
  if (!decoded.ok) return { ok: false, error: { path, code: decoded.code, message: decoded.message } };
  return parseBrainText(path, decoded.text, { ...stat, hash: hashText(bytes) });
}

export function parseBrainText(
  path: string,
  text: string,
  meta: { size: number; mtimeMs: number; hash: string },
): ParseResult {
  const fm = readFrontmatter(text);
  if (!fm.ok) return { ok: false, error: { path, code: fm.code, message: fm.message, line: fm.line } };
  const bom = text.charCodeAt(0) === 0xfeff;
  const bodyStart = fm.frontmatter ? fm.frontmatter.end : bom ? 1 : 0;
  const { headings, facts } = readStructure(text, bodyStart);
  return {
    ok: true,
    text,
    doc: {
      path,
      ...meta,
      eol: detectEol(text),
      bom,
      frontmatter: fm.frontmatter,
      headings,
      factCount: facts.length,
      facts,
    },
  };
}

/** "Returns > Exceptions": the heading path of a fact, for reports and prompts. */
export function sectionOf(doc: Pick<BrainDoc, "headings">, headingIndex: number): string {
  if (headingIndex < 0) return "";
  const path: string[] = [];
  let depth = Number.POSITIVE_INFINITY;
  for (let i = headingIndex; i >= 0; i--) {
    const h = doc.headings[i]!;
    if (h.depth < depth) {
      path.unshift(h.text);
      depth = h.depth;
    }
  }
  return path.join(" > ");
}
