import { type Dirent, existsSync, lstatSync, readdirSync, realpathSync, statSync } from "node:fs";
import { join } from "node:path";
import picomatch from "picomatch";
import { KbError } from "../errors.js";
import type { Db } from "../state/db.js";
import { type CacheEntry, loadCache, saveCache } from "./index-cache.js";
import { type ParseJob, type ParseOutcome, parseJob } from "./parse-job.js";
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
  /** Parsed documents, in path order. */
  docs: BrainDoc[];
  errors: ScanError[];
  /** Non-markdown files (attachments), brain-relative; links may point at them. */
  assets: string[];
  stats: { files: number; facts: number; parsed: number; cached: number };
}

export const ARCHIVE_DIR = "_archive";

/**
 * Walk the brain and parse every markdown file, reusing the index cache for files whose size and
 * mtime are unchanged (or whose content hash is unchanged when only the mtime moved). Symbolic
 * links are never followed. Files kb cannot read are reported, not thrown.
 */
export function scanBrain(options: ScanOptions): ScanResult {
  const plan = planScan(options);
  return finishScan(options, plan, plan.jobs.map(parseJob));
}

interface ScanPlan {
  cache: Map<string, CacheEntry>;
  /** Path order of every markdown file, cached or not. */
  order: string[];
  jobs: ParseJob[];
  stats: Map<string, { size: number; mtimeMs: number }>;
  errors: ScanError[];
  assets: string[];
}

function planScan(options: ScanOptions): ScanPlan {
  const root = options.brain;
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new KbError("BRAIN_MISSING", `brain folder ${root} does not exist or is not a folder`);
  }
  const realRoot = realpathSync(root);
  const maxBytes = options.maxFileBytes ?? 4 * 1024 * 1024;
  const ignored = options.ignore?.length ? picomatch(options.ignore, { dot: false }) : () => false;
  const plan: ScanPlan = {
    cache: options.db ? loadCache(options.db, root) : new Map(),
    order: [],
    jobs: [],
    stats: new Map(),
    errors: [],
    assets: [],
  };

  const visit = (dirAbs: string, dirRel: string) => {
    if (isWorldWritable(dirAbs)) {
      plan.errors.push({
        path: dirRel || ".",
        code: "WORLD_WRITABLE",
        message: "folder is world-writable; kb will not write here (fix: chown to the kb user and chmod o-w)",
      });
    }
    let entries: Dirent[];
    try {
      entries = readdirSync(dirAbs, { withFileTypes: true });
    } catch (error) {
      plan.errors.push({
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
      if (entry.isSymbolicLink()) plan.errors.push(symlinkError(realRoot, abs, rel));
      else if (entry.isDirectory()) visit(abs, rel);
      else if (entry.isFile()) {
        if (entry.name.toLowerCase().endsWith(".md")) visitFile(abs, rel);
        else plan.assets.push(rel);
      }
    }
  };

  const visitFile = (abs: string, rel: string) => {
    const st = lstatSync(abs);
    plan.order.push(rel);
    plan.stats.set(rel, { size: st.size, mtimeMs: st.mtimeMs });
    const hit = plan.cache.get(rel);
    if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs) return;
    if (st.size > maxBytes) {
      const error: ScanError = {
        path: rel,
        code: "TOO_LARGE",
        message: `file is ${st.size} bytes; the limit is ${maxBytes} (limits.maxFileBytes)`,
      };
      plan.cache.set(rel, { size: st.size, mtimeMs: st.mtimeMs, hash: "-", entry: { error } });
      plan.jobs.push({ rel, abs, size: -1, mtimeMs: st.mtimeMs });
      return;
    }
    plan.jobs.push({
      rel,
      abs,
      size: st.size,
      mtimeMs: st.mtimeMs,
      cachedHash: hit && "doc" in hit.entry ? hit.hash : undefined,
    });
  };

  visit(root, "");
  return plan;
}

function finishScan(options: ScanOptions, plan: ScanPlan, outcomes: ParseOutcome[]): ScanResult {
  const changed: { path: string; entry: CacheEntry }[] = [];
  const fresh = new Map<string, CacheEntry["entry"]>();
  let parsed = 0;
  for (const [i, job] of plan.jobs.entries()) {
    const st = plan.stats.get(job.rel)!;
    if (job.size === -1) {
      changed.push({ path: job.rel, entry: plan.cache.get(job.rel)! });
      continue;
    }
    const out = outcomes[i]!;
    if (out.parsed) parsed++;
    const hit = plan.cache.get(job.rel);
    const entry = out.entry ?? hit!.entry;
    if ("doc" in entry) entry.doc.mtimeMs = st.mtimeMs;
    fresh.set(job.rel, entry);
    if (out.cacheable)
      changed.push({ path: job.rel, entry: { size: st.size, mtimeMs: st.mtimeMs, hash: out.hash, entry } });
  }
  const docs: BrainDoc[] = [];
  const errors = [...plan.errors];
  for (const rel of plan.order) {
    const entry = fresh.get(rel) ?? plan.cache.get(rel)!.entry;
    if ("doc" in entry) docs.push(entry.doc);
    else errors.push(entry.error);
  }
  if (options.db) {
    const seen = new Set(plan.order);
    saveCache(
      options.db,
      options.brain,
      changed,
      [...plan.cache.keys()].filter((p) => !seen.has(p)),
    );
  }
  const facts = docs.reduce((n, d) => n + d.factCount, 0);
  const fileErrors = errors.filter(
    (e) => e.code !== "WORLD_WRITABLE" && e.code !== "SYMLINK" && e.code !== "SYMLINK_ESCAPE",
  );
  return {
    brain: options.brain,
    docs,
    errors,
    assets: plan.assets,
    stats: {
      files: docs.length + fileErrors.length,
      facts,
      parsed,
      cached: plan.order.length - plan.jobs.length,
    },
  };
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
