import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Db } from "../state/db.js";
import { DEFAULT_GATE, gate, gateFile } from "./gate.js";
import { type Chunk, chunkEntries, type PreprocessOptions, preprocess } from "./preprocess.js";
import { type FileRead, readSourceFile } from "./readers/index.js";
import { CHECKED_SCHEMA_VERSIONS, isNewerThanChecked, type StoreProblem } from "./readers/sqlite-store.js";
import { resolveSourceFiles, STORE_NAME } from "./sources.js";
import type { GateReason, LogEntry, MineSource } from "./types.js";
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
  /** The new entries that are memory tool calls reading the brain (kept as reads, never mined). */
  retrievals: LogEntry[];
}

export interface SourceStats {
  agent: string;
  kind: string;
  files: number;
  restarted: number;
  deleted: number;
  /** New entries read, by the file format they came from (store, jsonl, archive…). */
  read: Record<string, number>;
  /** Compressed store events decoded. */
  decoded: number;
  /** Entries (or, for dreaming, files) kept from the model by trust gating, by reason. */
  gated: Partial<Record<GateReason, number>>;
  /** Entries kb could not read; each holds its file's watermark back until a person looks. */
  problems: (StoreProblem & { file: string })[];
  /** Things an operator should know: a source that names no files, and why that may be. */
  notes: string[];
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
    const gateOptions = { ...DEFAULT_GATE, ...source.gate };
    const found = resolveSourceFiles(source.kind, source.path, options.baseDir);
    const files = found.filter((f) => gateFile(f, gateOptions) === null);
    const deleted = options.readOnly ? 0 : dropMissing(db, key, new Set(files));
    const stat: SourceStats = {
      agent: source.agent,
      kind: source.kind,
      files: files.length,
      restarted: 0,
      deleted,
      read: {},
      decoded: 0,
      gated: found.length > files.length ? { dreaming: found.length - files.length } : {},
      problems: [],
      notes: found.length === 0 ? [emptySourceNote(source, options.baseDir)] : [],
    };
    stats.push(stat);
    for (const file of files) {
      const read = readSourceFile(db, key, source.kind, file, options.today);
      if (read.restarted) stat.restarted++;
      stat.decoded += read.decoded;
      if (isNewerThanChecked(read.schemaVersion))
        stat.notes.push(
          `${file}: OpenClaw agent schema ${read.schemaVersion} is newer than kb has checked (${CHECKED_SCHEMA_VERSIONS}); read as before — update kb if anything is missing`,
        );
      stat.problems.push(...read.problems.map((p) => ({ ...p, file })));
      const unseen = filterSeen(db, source.agent, read.entries);
      const format = fileFormatLabel(file);
      stat.read[format] = (stat.read[format] ?? 0) + unseen.length;
      const since = options.since;
      const inRange = since ? unseen.filter((e) => !e.at || e.at.slice(0, 10) >= since) : unseen;
      const gated = gate(inRange, gateOptions);
      for (const [reason, n] of Object.entries(gated.gated) as [GateReason, number][])
        stat.gated[reason] = (stat.gated[reason] ?? 0) + n;
      const pre = preprocess(gated.kept, options.preprocess);
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
        retrievals: inRange.filter((e) => e.retrieval),
      });
    }
  }
  return { work, sources: stats };
}

function fileFormatLabel(file: string): string {
  if (file.endsWith(".sqlite")) return "store";
  if (file.endsWith(".zst")) return "archive";
  if (file.endsWith(".jsonl")) return "jsonl";
  return "markdown";
}

/** Why a source may have named no files — OpenClaw ≥ 2026.7 keeps transcripts in the agent store. */
function emptySourceNote(source: MineSource, baseDir: string): string {
  const abs = resolve(baseDir, source.path);
  const store = [join(dirname(abs), "agent", STORE_NAME), join(abs, "agent", STORE_NAME)].find(existsSync);
  if (source.kind === "openclaw-jsonl" && store)
    return `${source.path} holds no transcripts kb reads; this OpenClaw keeps them in ${store}: use kind "openclaw" with path ${dirname(dirname(store))}`;
  return `${source.path} names no ${source.kind} files (check the path; kinds and what they read are in the README)`;
}
