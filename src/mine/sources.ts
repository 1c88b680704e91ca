import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, isAbsolute, join, relative, resolve, sep } from "node:path";
import picomatch from "picomatch";
import type { SourceKind } from "./types.js";

/** Which files in a folder belong to a source kind. */
const filePattern: Record<SourceKind, (name: string) => boolean> = {
  "openclaw-jsonl": (n) => n.endsWith(".jsonl") && !n.endsWith(".trajectory.jsonl"),
  "claude-code": (n) => n.endsWith(".jsonl"),
  "openclaw-sqlite": (n) => n.endsWith(".sqlite"),
  "openclaw-memory": (n) => /^\d{4}-\d{2}-\d{2}.*\.md$/.test(n),
  markdown: (n) => /\.(md|markdown|txt|log)$/.test(n),
};

/**
 * The files a source's `path` names: a file, a folder (searched recursively for the kind's files),
 * or a glob. Relative paths resolve against `baseDir` (the config file's folder). Sorted, so runs
 * read files in a stable order.
 */
export function resolveSourceFiles(kind: SourceKind, path: string, baseDir: string): string[] {
  const abs = isAbsolute(path) ? path : resolve(baseDir, path);
  if (picomatch.scan(abs).isGlob) {
    const { base } = picomatch.scan(abs);
    const match = picomatch(abs, { dot: false });
    return walk(base || sep).filter((f) => match(f) && filePattern[kind](basename(f)) !== false);
  }
  if (!existsSync(abs)) return [];
  const st = statSync(abs);
  if (st.isFile()) return [abs];
  if (!st.isDirectory()) return [];
  return walk(abs).filter((f) => filePattern[kind](basename(f)));
}

function walk(root: string): string[] {
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const visit = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name.startsWith(".")) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) visit(p);
      else if (e.isFile()) out.push(p);
    }
  };
  visit(root);
  return out.sort();
}

/** A short, stable label for reports: the path relative to the config folder when inside it. */
export function displayPath(file: string, baseDir: string): string {
  const rel = relative(baseDir, file);
  return rel.startsWith("..") ? file : rel.split(sep).join("/");
}
