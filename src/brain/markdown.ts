import markdownit, { type Token } from "markdown-it";
import { lineStarts } from "./text.js";
import type { Fact, Heading } from "./types.js";

let parser: ReturnType<typeof markdownit> | undefined;

/**
 * CommonMark plus GFM tables, block structure only: kb needs list items, headings and their
 * source lines, not rendered inline markup, so the inline pass is switched off (about 2x faster).
 */
function blockParser(): ReturnType<typeof markdownit> {
  if (!parser) {
    parser = markdownit("commonmark").enable("table");
    parser.core.ruler.disable(["inline", "text_join"]);
  }
  return parser;
}

export interface MarkdownStructure {
  headings: Heading[];
  facts: Fact[];
}

/** Find the headings and the facts (list items' own text) of the markdown that starts at `bodyStart`. */
export function readStructure(text: string, bodyStart: number): MarkdownStructure {
  const body = text.slice(bodyStart);
  const starts = lineStarts(text, bodyStart);
  const firstLine = countLines(text, bodyStart);
  const tokens = blockParser().parse(body, {});
  const headings: Heading[] = [];
  const facts: Fact[] = [];
  const lineStart = (n: number) => starts[n] ?? text.length;
  const lineEnd = (n: number) => contentEnd(text, lineStart(n), lineStart(n + 1));
  const isBlank = (n: number) => text.slice(lineStart(n), lineEnd(n)).trim() === "";

  const items: { token: Token; fact: Fact | null }[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.type === "heading_open" && token.map) {
      headings.push({
        depth: Number(token.tag.slice(1)),
        text: tokens[i + 1]?.content.trim() ?? "",
        line: firstLine + token.map[0],
      });
    } else if (token.type === "list_item_open" && token.map) {
      const parent = items.at(-1);
      const paragraph = tokens[i + 1];
      const inline = tokens[i + 2];
      let fact: Fact | null = null;
      if (paragraph?.type === "paragraph_open" && paragraph.map && inline?.type === "inline") {
        fact = makeFact(token.map, paragraph.map, inline.content);
        facts.push(fact);
      }
      if (parent?.fact) parent.fact.hasChildren = true;
      items.push({ token, fact });
    } else if (token.type === "list_item_close") {
      items.pop();
    }
  }
  return { headings, facts };

  function makeFact(item: [number, number], para: [number, number], content: string): Fact {
    const [pStart, pEnd] = para;
    const lines = content.split("\n");
    const first = lines[0]!.trim();
    const ls = lineStart(pStart);
    const lineText = text.slice(ls, lineEnd(pStart));
    const at = lineText.indexOf(first, markerEnd(lineText));
    const start = ls + (at === -1 ? markerEnd(lineText) : at);
    const lastStart = lineStart(pEnd - 1);
    const end = Math.max(start, lastStart + text.slice(lastStart, lineEnd(pEnd - 1)).trimEnd().length);
    let lastNonBlank = item[1] - 1;
    while (lastNonBlank >= pEnd && isBlank(lastNonBlank)) lastNonBlank--;
    let hasChildren = false;
    for (let n = pEnd; n <= lastNonBlank; n++) if (!isBlank(n)) hasChildren = true;
    return {
      index: facts.length,
      line: firstLine + pStart,
      start,
      end,
      text: lines
        .map((l) => l.trim())
        .join(" ")
        .trim(),
      depth: items.length,
      heading: headings.length - 1,
      itemStart: lineStart(item[0]),
      itemEnd: lineStart(pEnd),
      blockEnd: lineStart(lastNonBlank + 1),
      hasChildren,
      prefix: text.slice(lineStart(item[0]), start),
    };
  }
}

/** Where a list item's text begins on its first line: after indentation, `>` quotes and the marker. */
function markerEnd(line: string): number {
  const match = /^(?:[ \t]*>)*[ \t]*(?:[-+*]|\d{1,9}[.)])(?:[ \t]+|$)/.exec(line);
  return match ? match[0].length : 0;
}

function contentEnd(text: string, from: number, next: number): number {
  let end = next;
  while (end > from && (text.charCodeAt(end - 1) === 10 || text.charCodeAt(end - 1) === 13)) end--;
  return end;
}

function countLines(text: string, offset: number): number {
  return lineStarts(text.slice(0, offset)).length;
}
