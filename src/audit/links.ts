import type { ProseLine } from "./body-lines.js";

/**
 * Internal links in a markdown body: inline links and images, reference definitions, and
 * Obsidian wikilinks and embeds. External URLs (any scheme) are not collected: the audit is
 * offline and deterministic.
 */
export interface LinkRef {
  line: number;
  kind: "markdown" | "wiki";
  /** The path part, decoded ("" for a same-file anchor). */
  target: string;
  /** The heading anchor after `#`, if any. */
  anchor?: string;
  /** As written, for reports. */
  raw: string;
}

const INLINE = /!?\[(?:[^\]\\]|\\.)*\]\(\s*(<[^>]*>|[^\s)]+)(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/g;
const REFERENCE = /^\s{0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/;
const WIKI = /!?\[\[([^\]|\n]+)(?:\|[^\]\n]*)?\]\]/g;

export function findLinks(lines: ProseLine[]): LinkRef[] {
  const links: LinkRef[] = [];
  for (const pl of lines) {
    for (const m of pl.text.matchAll(WIKI)) {
      const [target, anchor] = splitAnchor(m[1]!.trim());
      links.push({ line: pl.line, kind: "wiki", target, ...(anchor ? { anchor } : {}), raw: m[0] });
    }
    const text = pl.text.replace(WIKI, (m) => " ".repeat(m.length));
    for (const m of text.matchAll(INLINE)) add(pl.line, m[1]!, m[0]);
    const ref = REFERENCE.exec(text);
    if (ref) add(pl.line, ref[1]!, ref[0].trim());
  }
  return links;

  function add(line: number, destination: string, raw: string) {
    const url = destination.startsWith("<") ? destination.slice(1, -1) : destination;
    if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith("//")) return;
    const [path, anchor] = splitAnchor(url.replace(/\?.*$/, ""));
    links.push({
      line,
      kind: "markdown",
      target: decode(path),
      ...(anchor ? { anchor: decode(anchor) } : {}),
      raw,
    });
  }
}

function splitAnchor(value: string): [string, string | undefined] {
  const hash = value.indexOf("#");
  if (hash === -1) return [value, undefined];
  return [value.slice(0, hash), value.slice(hash + 1) || undefined];
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
