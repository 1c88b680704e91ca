import { readFileSync } from "node:fs";
import type { Db } from "../../state/db.js";
import type { LogEntry, SourceKind } from "../types.js";
import { getWatermark, headHash, resumeOffset } from "../watermarks.js";
import { claudeCodeEntries } from "./claude-code.js";
import { asRecord, asString, readJsonLines } from "./jsonl.js";
import { markdownEntries } from "./markdown.js";
import { activePath, openclawEntries } from "./openclaw.js";
import { readStore, type StoreProblem } from "./sqlite-store.js";
import { zstdDecompress } from "./zstd.js";

export interface FileRead {
  file: string;
  entries: LogEntry[];
  /** Where the watermark goes once every entry is mined. */
  end: number;
  /** The watermark's check hash at `end`. */
  headHash: string;
  size: number;
  /** Raw bytes newly read (for `--plan` and the benchmark). */
  rawBytes: number;
  /** Where reading started: 0 after a rotation or truncation. */
  from: number;
  restarted: boolean;
  /** Line numbers that were not valid JSON (reported, skipped). */
  badLines: number[];
  /** Store events kb could not read; the watermark stays before the first. */
  problems: StoreProblem[];
  /** Store events that were stored compressed and decoded. */
  decoded: number;
  /** The agent store's schema version (null for log files). */
  schemaVersion: number | null;
}

/** How one file is read: the source's kind, or for an OpenClaw agent folder, the file's own format. */
export type FileFormat = Exclude<SourceKind, "openclaw">;

export function formatOf(kind: SourceKind, file: string): FileFormat {
  if (kind !== "openclaw") return kind;
  return file.endsWith(".sqlite") ? "openclaw-sqlite" : "openclaw-jsonl";
}

/** Parse a log file's bytes from `from` on. Pure apart from the SQLite store, which is opened read-only. */
export function parseLog(kind: SourceKind, file: string, buf: Buffer, from: number, today: string) {
  switch (formatOf(kind, file)) {
    case "openclaw-jsonl": {
      // The whole file is parsed to find the active path; only entries past `from` are returned.
      const r = readJsonLines(buf, 0);
      const active = activePath(r.lines);
      const fresh = r.lines.filter((l) => l.end > from);
      const onPath = active
        ? fresh.filter((l) => active.has(String((l.value as { id?: unknown }).id)))
        : fresh;
      const header = r.lines.map((l) => asRecord(l.value)).find((v) => v.type === "session");
      return {
        entries: openclawEntries(onPath, asString(header?.id) ? { id: asString(header?.id) } : undefined),
        end: r.end,
        badLines: r.bad,
      };
    }
    case "claude-code": {
      const r = readJsonLines(buf, from);
      return { entries: claudeCodeEntries(r.lines), end: r.end, badLines: r.bad };
    }
    case "openclaw-memory":
    case "markdown": {
      const r = markdownEntries(buf, from, file, today);
      return { entries: r.entries, end: r.end, badLines: [] };
    }
    case "openclaw-sqlite":
      throw new Error("the SQLite store is read with readStore");
  }
}

/** Read what is new in one file of a source, honouring (and checking) its watermark. */
export function readSourceFile(
  db: Db,
  source: string,
  kind: SourceKind,
  file: string,
  today: string,
): FileRead {
  const mark = getWatermark(db, source, file);
  if (formatOf(kind, file) === "openclaw-sqlite") {
    const from = mark?.offset ?? 0;
    const r = readStore(file, from);
    return {
      file,
      entries: r.entries,
      end: r.end,
      headHash: "store",
      size: 0,
      rawBytes: 0,
      from,
      restarted: false,
      badLines: [],
      problems: r.problems,
      decoded: r.decoded,
      schemaVersion: r.schemaVersion,
    };
  }
  // Archived OpenClaw transcripts (`*.jsonl.zst`, `*.jsonl.deleted.<ts>.zst`, `cold/*.jsonl.zst`)
  // are read as the JSONL they hold; the watermark counts bytes of the decompressed text.
  const raw = readFileSync(file);
  const buf = file.endsWith(".zst") ? zstdDecompress(raw) : raw;
  const from = resumeOffset(mark, buf);
  const parsed = parseLog(kind, file, buf, from, today);
  return {
    file,
    entries: parsed.entries,
    end: parsed.end,
    headHash: headHash(buf, parsed.end),
    size: buf.length,
    rawBytes: parsed.end - from,
    from,
    restarted: mark !== null && from === 0 && mark.offset > 0,
    badLines: parsed.badLines,
    problems: [],
    decoded: 0,
    schemaVersion: null,
  };
}
