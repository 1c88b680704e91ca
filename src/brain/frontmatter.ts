import { type Document, isMap, LineCounter, parseDocument } from "yaml";
import { lineContentEnd } from "./text.js";
import type { Frontmatter } from "./types.js";

export type FrontmatterResult =
  | { ok: true; frontmatter: Frontmatter | null }
  | { ok: false; code: "BAD_YAML" | "BAD_FRONTMATTER"; message: string; line: number };

/** Locate the `---` fenced block at the top of a file (after an optional BOM). */
export function findFrontmatter(
  text: string,
): { start: number; yamlStart: number; yamlEnd: number; end: number } | null | "unclosed" {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const firstEnd = lineContentEnd(text, start);
  if (text.slice(start, firstEnd).trimEnd() !== "---") return null;
  const yamlStart = nextLine(text, firstEnd);
  for (let at = yamlStart; at < text.length; ) {
    const end = lineContentEnd(text, at);
    const line = text.slice(at, end).trimEnd();
    if (line === "---" || line === "...") return { start, yamlStart, yamlEnd: at, end: nextLine(text, end) };
    at = nextLine(text, end);
    if (at === end) break;
  }
  return "unclosed";
}

function nextLine(text: string, contentEnd: number): number {
  if (text.charCodeAt(contentEnd) === 13) contentEnd++;
  return text.charCodeAt(contentEnd) === 10 ? contentEnd + 1 : contentEnd;
}

/** 1-based line number of an offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

/** Parse the YAML between the fences, keeping it as a `yaml` Document so edits can find exact ranges. */
export function parseFrontmatterYaml(yamlText: string): { doc: Document; lines: LineCounter } {
  const lines = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  return { doc, lines };
}

export function readFrontmatter(text: string): FrontmatterResult {
  const found = findFrontmatter(text);
  if (found === null) return { ok: true, frontmatter: null };
  if (found === "unclosed") {
    return {
      ok: false,
      code: "BAD_FRONTMATTER",
      message: "frontmatter opened with --- is never closed",
      line: 1,
    };
  }
  const yamlText = text.slice(found.yamlStart, found.yamlEnd);
  const { doc, lines } = parseFrontmatterYaml(yamlText);
  const firstLine = lineAt(text, found.yamlStart);
  if (doc.errors.length > 0) {
    const error = doc.errors[0]!;
    // Errors found at end of input (an unclosed bracket) point past the last line; keep them on it.
    const yamlLines = Math.max(
      1,
      yamlText.split(/\r\n|\r|\n/).length - (/(\r\n|\r|\n)$/.test(yamlText) ? 1 : 0),
    );
    const at = Math.min(lines.linePos(error.pos[0]).line, yamlLines);
    return {
      ok: false,
      code: "BAD_YAML",
      message: `invalid YAML in frontmatter: ${error.message.split("\n")[0]}`,
      line: firstLine + at - 1,
    };
  }
  if (doc.contents !== null && !isMap(doc.contents)) {
    return {
      ok: false,
      code: "BAD_YAML",
      message: "frontmatter must be a mapping of keys to values",
      line: firstLine,
    };
  }
  return {
    ok: true,
    frontmatter: {
      start: found.start,
      end: found.end,
      yamlStart: found.yamlStart,
      yamlEnd: found.yamlEnd,
      data: (doc.toJS({ maxAliasCount: 50 }) as Record<string, unknown> | null) ?? {},
    },
  };
}
