import { existsSync, realpathSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, sep } from "node:path";
import { KbError } from "../errors.js";

export class PathError extends KbError {}

/** Whether `child` is `root` or inside it (both absolute). */
export function isInside(root: string, child: string): boolean {
  const rel = relative(root, child);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

/**
 * Resolve a brain-relative POSIX path to an absolute one, refusing anything that would land
 * outside the brain: absolute paths, `..`, NUL bytes, and symlinked folders that point elsewhere.
 */
export function resolveBrainPath(brain: string, relPath: string): string {
  if (relPath.includes("\0"))
    throw new PathError("PATH_INVALID", `path ${JSON.stringify(relPath)} contains a NUL byte`);
  if (isAbsolute(relPath) || /^[a-zA-Z]:[\\/]/.test(relPath) || relPath.startsWith("\\")) {
    throw new PathError("PATH_ESCAPE", `path "${relPath}" must be relative to the brain`);
  }
  const parts = relPath.split(/[\\/]+/).filter((p) => p !== "" && p !== ".");
  if (parts.includes("..")) throw new PathError("PATH_ESCAPE", `path "${relPath}" leaves the brain ("..")`);
  const abs = join(brain, ...parts);
  const realRoot = realpathSync(brain);
  let probe = abs;
  while (!existsSync(probe)) probe = dirname(probe);
  if (!isInside(realRoot, realpathSync(probe))) {
    throw new PathError(
      "PATH_ESCAPE",
      `path "${relPath}" resolves outside the brain through a symbolic link`,
    );
  }
  return abs;
}

/** POSIX-style path relative to the brain, as stored and reported. */
export function toBrainRelative(brain: string, abs: string): string {
  return relative(brain, abs).split(sep).join("/");
}

/** World-writable without the sticky bit: anyone on the host could rewrite what agents read. */
export function isWorldWritable(path: string): boolean {
  const mode = statSync(path).mode;
  return (mode & 0o002) !== 0 && (mode & 0o1000) === 0;
}
