import picomatch from "picomatch";
import type { Mode } from "../mine/modes.js";

/**
 * The unit autonomy is earned and lost in: the first `mine.autonomy` pattern that matches a path,
 * else the path's top-level folder (`finance`), `.` for files at the root. A pattern that is a
 * whole folder (`finance/**`) names that folder, so its record carries over when a person adds the
 * rule. Pure.
 */
export type FolderOf = (path: string) => string;

export function folderResolver(rules: { paths: string[]; mode: Mode }[]): FolderOf {
  const patterns = rules.flatMap((r) => r.paths).map((p) => ({ p: unitOf(p), match: picomatch(p) }));
  return (path) => patterns.find((x) => x.match(path))?.p ?? topFolder(path);
}

/** `finance/**` → `finance`; any other pattern stays as written. */
export function unitOf(pattern: string): string {
  return pattern.endsWith("/**") && !/[*?[\]{}!]/.test(pattern.slice(0, -3)) ? pattern.slice(0, -3) : pattern;
}

export function topFolder(path: string): string {
  const slash = path.indexOf("/");
  return slash < 0 ? "." : path.slice(0, slash);
}

/** The mode a folder is configured for: its pattern's rule, else `mine.mode`. */
export function configuredMode(
  folder: string,
  rules: { paths: string[]; mode: Mode }[],
  fallback: Mode,
): Mode {
  return rules.find((r) => r.paths.some((p) => unitOf(p) === folder))?.mode ?? fallback;
}
