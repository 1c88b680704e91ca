import { readFileSync } from "node:fs";
import { parseBrainFile } from "./parse.js";
import { hashText } from "./text.js";
import type { BrainDoc, ScanError } from "./types.js";

export interface ParseJob {
  rel: string;
  abs: string;
  size: number;
  mtimeMs: number;
  /** Hash of the cached parse, if any: an unchanged file is not parsed again. */
  cachedHash?: string;
}

export interface ParseOutcome {
  rel: string;
  hash: string;
  /** Null when the content hash matched the cache (only the mtime moved). */
  entry: { doc: BrainDoc } | { error: ScanError } | null;
  parsed: boolean;
  cacheable: boolean;
}

/** Read, hash and parse one file; an unchanged hash (only the mtime moved) skips the parse. */
export function parseJob(job: ParseJob): ParseOutcome {
  let bytes: Buffer;
  try {
    bytes = readFileSync(job.abs);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      rel: job.rel,
      hash: "-",
      entry: {
        error: {
          path: job.rel,
          code: "UNREADABLE",
          message: `cannot read file (${code ?? (error as Error).message})`,
        },
      },
      parsed: false,
      cacheable: false,
    };
  }
  const hash = hashText(bytes);
  if (job.cachedHash === hash) return { rel: job.rel, hash, entry: null, parsed: false, cacheable: true };
  const result = parseBrainFile(job.rel, bytes, { size: job.size, mtimeMs: job.mtimeMs });
  return {
    rel: job.rel,
    hash,
    entry: result.ok ? { doc: result.doc } : { error: result.error },
    parsed: true,
    cacheable: true,
  };
}
