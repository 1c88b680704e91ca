/**
 * Entity keys (`collection/fw26`, `product/alva-coat`) and how text names them: by the key's last
 * segment, with dashes or spaces, case-insensitive, as a whole word.
 */
export function entityNames(key: string): string[] {
  const last = key.split("/").at(-1)!.trim();
  if (!last) return [];
  const spaced = last.replace(/[-_]+/g, " ");
  return [...new Set([last, spaced])];
}

export function entityPattern(keys: string[]): RegExp | null {
  const names = keys.flatMap(entityNames).filter((n) => n.length >= 2);
  if (names.length === 0) return null;
  const escaped = names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/ /g, "[\\s_-]+"));
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${escaped.join("|")})(?![\\p{L}\\p{N}])`, "iu");
}

/** Whether `text` names any of the entities. */
export function mentions(text: string, pattern: RegExp | null): boolean {
  return pattern?.test(text) ?? false;
}
