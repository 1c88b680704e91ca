import type { ScopeFact } from "../../src/dedup/survivor.js";

/**
 * A dedup scope from plain texts, spread over `files` files of `dir` (fact i in file i % files),
 * one per line, none pinned; `extra` overrides fields fact by fact.
 */
export function scopeOf(
  texts: string[],
  options: { dir?: string; files?: number; extra?: Partial<ScopeFact>[] } = {},
): ScopeFact[] {
  const { dir = "scope", files = 3, extra = [] } = options;
  return texts.map((text, i) => ({
    path: `${dir}/f${i % files}.md`,
    line: i + 1,
    index: i,
    text,
    pinned: false,
    hasChildren: false,
    date: "",
    ...extra[i],
  }));
}
