import { existsSync, lstatSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { KbError } from "../errors.js";
import { writeAtomic } from "../runtime/atomic.js";
import { applySplices, type Splice } from "./edit.js";
import { parseBrainFile, parseBrainText } from "./parse.js";
import { isWorldWritable, resolveBrainPath } from "./paths.js";
import type { BrainDoc } from "./types.js";

export class UnsafeWriteError extends KbError {}

export interface EditResult {
  path: string;
  changed: boolean;
  before: string;
  after: string;
}

export interface WriteOptions {
  maxFileBytes?: number;
  /** Compute the new text but do not write it. */
  dryRun?: boolean;
}

/**
 * Read a brain file, let `plan` compute splices from its text and parsed document, apply them and
 * write atomically. Refuses files that do not parse, symlinks, paths outside the brain,
 * world-writable folders, and results that would no longer parse.
 */
export async function editBrainFile(
  brain: string,
  relPath: string,
  plan: (text: string, doc: BrainDoc) => Splice[],
  options: WriteOptions = {},
): Promise<EditResult> {
  const abs = resolveBrainPath(brain, relPath);
  const st = lstatSync(abs);
  if (st.isSymbolicLink())
    throw new UnsafeWriteError(
      "WRITE_SYMLINK",
      `${relPath} is a symbolic link; kb does not write through links`,
    );
  if (st.size > (options.maxFileBytes ?? 4 * 1024 * 1024)) {
    throw new UnsafeWriteError("TOO_LARGE", `${relPath} is ${st.size} bytes, over the limit; not written`);
  }
  assertSafeFolder(brain, relPath, abs);
  const bytes = readFileSync(abs);
  const parsed = parseBrainFile(relPath, bytes, st);
  if (!parsed.ok) {
    const where = parsed.error.line ? `:${parsed.error.line}` : "";
    throw new UnsafeWriteError(
      parsed.error.code,
      `${relPath}${where}: ${parsed.error.message}; kb will not write to it`,
    );
  }
  const after = applySplices(parsed.text, plan(parsed.text, parsed.doc));
  return finish(abs, relPath, parsed.text, after, st.mode, options);
}

/** Create a new brain file; refuses to overwrite one that exists. */
export async function createBrainFile(
  brain: string,
  relPath: string,
  text: string,
  options: WriteOptions = {},
): Promise<EditResult> {
  const abs = resolveBrainPath(brain, relPath);
  if (existsSync(abs)) throw new UnsafeWriteError("FILE_EXISTS", `${relPath} already exists`);
  if (!relPath.toLowerCase().endsWith(".md"))
    throw new UnsafeWriteError("NOT_MARKDOWN", `${relPath} is not a .md file`);
  assertSafeFolder(brain, relPath, abs);
  return finish(abs, relPath, "", text, 0o644, options);
}

async function finish(
  abs: string,
  relPath: string,
  before: string,
  after: string,
  mode: number,
  options: WriteOptions,
) {
  if (after === before) return { path: relPath, changed: false, before, after };
  const check = parseBrainText(relPath, after, { size: 0, mtimeMs: 0, hash: "" });
  if (!check.ok) {
    throw new UnsafeWriteError(
      "EDIT_BREAKS_FILE",
      `edit to ${relPath} would leave it unparseable (${check.error.message}); not written`,
    );
  }
  if (!options.dryRun) await writeAtomic(abs, after, mode & 0o777);
  return { path: relPath, changed: true, before, after };
}

function assertSafeFolder(brain: string, relPath: string, abs: string): void {
  for (let dir = dirname(abs); dir.length >= brain.length; dir = dirname(dir)) {
    if (existsSync(dir) && isWorldWritable(dir)) {
      throw new UnsafeWriteError(
        "WORLD_WRITABLE",
        `${relPath}: folder ${dir} is world-writable; kb will not write there (fix: chown to the kb user and chmod o-w)`,
      );
    }
    if (dir === brain || dir === dirname(dir)) break;
  }
}
