import { posix } from "node:path";

/**
 * A folder's usual owner, to suggest for unowned files: the owner of the folder's `index.md` if
 * it has one, else the most common owner among its files, else the parent folder's.
 */
export function usualOwners(
  files: { path: string; owner: string | null }[],
): (path: string) => string | null {
  const byFolder = new Map<string, Map<string, number>>();
  const indexOwner = new Map<string, string>();
  for (const f of files) {
    if (!f.owner) continue;
    const folder = posix.dirname(f.path);
    if (posix.basename(f.path).toLowerCase() === "index.md") indexOwner.set(folder, f.owner);
    const counts = byFolder.get(folder) ?? new Map<string, number>();
    counts.set(f.owner, (counts.get(f.owner) ?? 0) + 1);
    byFolder.set(folder, counts);
  }
  const ownerOf = (folder: string): string | null => {
    const index = indexOwner.get(folder);
    if (index) return index;
    const counts = byFolder.get(folder);
    if (counts) {
      return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
    }
    return folder === "." ? null : ownerOf(posix.dirname(folder));
  };
  return (path) => ownerOf(posix.dirname(path));
}
