import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, isAbsolute, join, relative, resolve, sep } from "node:path";
import picomatch from "picomatch";
import type { SourceKind } from "./types.js";

/** An OpenClaw transcript file: live JSONL, or a zstd archive of one (deleted, reset or cold). */
const isOpenclawJsonl = (n: string) =>
  (n.endsWith(".jsonl") && !n.endsWith(".trajectory.jsonl")) ||
  /\.jsonl(?:\.(?:deleted|reset)\.[^/]+)?\.zst$/.test(n);

/**
 * An OpenClaw agent store, not one of the side files OpenClaw keeps beside it
 * (`openclaw-agent.sqlite.reindex-lock.sqlite`, `….generation-writer.sqlite`, `-wal`, `-shm`,
 * `….memory-reindex-*`): the name has `.sqlite` once, at its end.
 */
const isStore = (n: string) => n.endsWith(".sqlite") && n.indexOf(".sqlite") === n.length - ".sqlite".length;

/** Which files in a folder belong to a source kind. */
const filePattern: Record<SourceKind, (name: string) => boolean> = {
  openclaw: (n) => n === STORE_NAME || isOpenclawJsonl(n),
  "openclaw-jsonl": isOpenclawJsonl,
  "claude-code": (n) => n.endsWith(".jsonl"),
  "openclaw-sqlite": isStore,
  "openclaw-memory": (n) => /^\d{4}-\d{2}-\d{2}.*\.md$/.test(n),
  markdown: (n) => /\.(md|markdown|txt|log)$/.test(n),
};

/** The store file in an OpenClaw ≥ 2026.7 agent folder: `agents/<id>/agent/openclaw-agent.sqlite`. */
export const STORE_NAME = "openclaw-agent.sqlite";

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
