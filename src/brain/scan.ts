import {
  type Dirent,
  existsSync,
  lstatSync,
  readdirSync,
  readFileSync,
  realpathSync,
  statSync,
} from "node:fs";
import { join } from "node:path";
import picomatch from "picomatch";
import { KbError } from "../runtime/errors.js";
import type { Db } from "../state/db.js";
import { type CacheEntry, loadCache, saveCache } from "./index-cache.js";
import { parseBrainFile } from "./parse.js";
import { isInside, isWorldWritable } from "./paths.js";
import type { BrainDoc, ScanError } from "./types.js";

export interface ScanOptions {
  /** Absolute path of the brain root. */
  brain: string;
  /** The state database; without it every file is parsed (no index cache). */
  db?: Db;
  maxFileBytes?: number;
  /** Also scan `_archive/` (retired facts). */
  includeArchive?: boolean;
  /** Brain-relative globs to skip (config `ignore`). */
  ignore?: string[];
}

export interface ScanResult {
  brain: string;
  docs: BrainDoc[];
  errors: ScanError[];
  /** Non-markdown files (attachments), brain-relative; links may point at them. */
  assets: string[];
  stats: { files: number; facts: number; parsed: number; cached: number };
}

export const ARCHIVE_DIR = "_archive";

/**
 * Walk the brain and parse every markdown file, reusing the index cache for files whose size and
 * mtime are unchanged (and whose content hash is unchanged when only the mtime moved). Symbolic
 * links are never followed. Files kb cannot read are reported, not thrown.
 */
export function scanBrain(options: ScanOptions): ScanResult {
  const root = options.brain;
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new KbError("BRAIN_MISSING", `brain folder ${root} does not exist or is not a folder`);
  }
  const realRoot = realpathSync(root);
  const maxBytes = options.maxFileBytes ?? 4 * 1024 * 1024;
  const cache = options.db ? loadCache(options.db, root) : new Map<string, CacheEntry>();
  const docs: BrainDoc[] = [];
  const errors: ScanError[] = [];
  const assets: string[] = [];
  const changed: { path: string; entry: CacheEntry }[] = [];
  const seen = new Set<string>();
  const ignored = options.ignore?.length ? picomatch(options.ignore, { dot: false }) : () => false;
  let parsed = 0;
  let cached = 0;

  const visit = (dirAbs: string, dirRel: string) => {
    if (isWorldWritable(dirAbs)) {
      errors.push({
        path: dirRel || ".",
        code: "WORLD_WRITABLE",
        message: "folder is world-writable; kb will not write here (fix: chown to the kb user and chmod o-w)",
      });
    }
    let entries: Dirent[];
    try {
      entries = readdirSync(dirAbs, { withFileTypes: true });
    } catch (error) {
      errors.push({
        path: dirRel || ".",
        code: "UNREADABLE",
        message: `cannot list folder: ${(error as Error).message}`,
      });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
      if (!dirRel && entry.name === ARCHIVE_DIR && !options.includeArchive) continue;
      const rel = dirRel ? `${dirRel}/${entry.name}` : entry.name;
      if (ignored(rel)) continue;
      const abs = join(dirAbs, entry.name);
      if (entry.isSymbolicLink()) {
        errors.push(symlinkError(realRoot, abs, rel));
      } else if (entry.isDirectory()) {
        visit(abs, rel);
      } else if (entry.isFile()) {
        if (entry.name.toLowerCase().endsWith(".md")) visitFile(abs, rel);
        else assets.push(rel);
      }
    }
  };

  const visitFile = (abs: string, rel: string) => {
    seen.add(rel);
    const st = lstatSync(abs);
    const hit = cache.get(rel);
    if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs) {
      cached++;
      collect(hit.entry);
      return;
    }
    if (st.size > maxBytes) {
      record(rel, st, "-", {
        error: {
          path: rel,
          code: "TOO_LARGE",
          message: `file is ${st.size} bytes; the limit is ${maxBytes} (limits.maxFileBytes)`,
        },
      });
      return;
    }
    let bytes: Buffer;
    try {
      bytes = readFileSync(abs);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      collect({
        error: {
          path: rel,
          code: "UNREADABLE",
          message: `cannot read file (${code ?? (error as Error).message})`,
        },
      });
      return;
    }
    parsed++;
    const result = parseBrainFile(rel, bytes, { size: st.size, mtimeMs: st.mtimeMs });
    const hash = result.ok ? result.doc.hash : "-";
    if (hit && result.ok && hit.hash === hash && "doc" in hit.entry) {
      // Touched but unchanged: keep the cached parse, remember the new mtime.
      hit.entry.doc.mtimeMs = st.mtimeMs;
      record(rel, st, hash, hit.entry);
      return;
    }
    record(rel, st, hash, result.ok ? { doc: result.doc } : { error: result.error });
  };

  const record = (
    rel: string,
    st: { size: number; mtimeMs: number },
    hash: string,
    entry: CacheEntry["entry"],
  ) => {
    changed.push({ path: rel, entry: { size: st.size, mtimeMs: st.mtimeMs, hash, entry } });
    collect(entry);
  };

  const collect = (entry: CacheEntry["entry"]) => {
    if ("doc" in entry) docs.push(entry.doc);
    else errors.push(entry.error);
  };

  visit(root, "");
  if (options.db) {
    const removed = [...cache.keys()].filter((p) => !seen.has(p));
    saveCache(options.db, root, changed, removed);
  }
  const facts = docs.reduce((n, d) => n + d.facts.length, 0);
  return {
    brain: root,
    docs,
    errors,
    assets,
    stats: { files: docs.length + errors.filter(isFileError).length, facts, parsed, cached },
  };
}

function isFileError(e: ScanError): boolean {
  return e.code !== "WORLD_WRITABLE" && e.code !== "SYMLINK" && e.code !== "SYMLINK_ESCAPE";
}

function symlinkError(realRoot: string, abs: string, rel: string): ScanError {
  let target: string | null = null;
  try {
    target = realpathSync(abs);
  } catch {
    target = null;
  }
  if (target === null || !isInside(realRoot, target)) {
    return {
      path: rel,
      code: "SYMLINK_ESCAPE",
      message: "symbolic link points outside the brain (or nowhere); not followed",
    };
  }
  return {
    path: rel,
    code: "SYMLINK",
    message: "symbolic link inside the brain; not followed (use a real file or folder)",
  };
}
