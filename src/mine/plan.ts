import type { Db } from "../state/db.js";
import { type Chunk, chunkEntries, type PreprocessOptions, preprocess } from "./preprocess.js";
import { type FileRead, readSourceFile } from "./readers/index.js";
import { resolveSourceFiles } from "./sources.js";
import type { MineSource } from "./types.js";
import { dropMissing, filterSeen } from "./watermarks.js";

/** One file's share of a run: what was read and the chunks to send. */
export interface FileWork {
  source: MineSource;
  sourceKey: string;
  read: FileRead;
  chunks: Chunk[];
  /** Keys of new entries that were read but are not in any chunk (noise-only reads, --since). */
  looseKeys: string[];
  counts: { read: number; mined: number; skipped: number };
  redactions: Record<string, number>;
}

export interface SourceStats {
  agent: string;
  kind: string;
  files: number;
  restarted: number;
  deleted: number;
}

export interface MinePlanOptions {
  sources: MineSource[];
  baseDir: string;
  chunkTokens: number;
  today: string;
  /** Only entries at or after this date (YYYY-MM-DD) are mined; older ones are skipped and remembered. */
  since?: string;
  /** Read-only planning: do not forget watermarks of deleted files. */
  readOnly?: boolean;
  preprocess?: PreprocessOptions;
}

export function sourceKey(s: MineSource): string {
  return `${s.agent}:${s.kind}:${s.path}`;
}

/** Read every source past its watermark, preprocess and chunk. Writes nothing except dropping watermarks of deleted files. */
export function planMine(db: Db, options: MinePlanOptions): { work: FileWork[]; sources: SourceStats[] } {
  const work: FileWork[] = [];
  const stats: SourceStats[] = [];
  for (const source of options.sources) {
    const key = sourceKey(source);
    const files = resolveSourceFiles(source.kind, source.path, options.baseDir);
    const deleted = options.readOnly ? 0 : dropMissing(db, key, new Set(files));
    const stat: SourceStats = {
      agent: source.agent,
      kind: source.kind,
      files: files.length,
      restarted: 0,
      deleted,
    };
    stats.push(stat);
    for (const file of files) {
      const read = readSourceFile(db, key, source.kind, file, options.today);
      if (read.restarted) stat.restarted++;
      const unseen = filterSeen(db, source.agent, read.entries);
      const since = options.since;
      const inRange = since ? unseen.filter((e) => !e.at || e.at.slice(0, 10) >= since) : unseen;
      const pre = preprocess(inRange, options.preprocess);
      const chunks = chunkEntries(pre, options.chunkTokens, read.end);
      const inChunks = new Set(chunks.flatMap((c) => c.keys));
      const looseKeys = unseen.map((e) => e.key).filter((k) => !inChunks.has(k));
      const mined = pre.kept.length;
      work.push({
        source,
        sourceKey: key,
        read,
        chunks,
        looseKeys,
        counts: { read: unseen.length, mined, skipped: unseen.length - mined },
        redactions: pre.redactions,
      });
    }
  }
  return { work, sources: stats };
}
