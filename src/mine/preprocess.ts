import { redact } from "./redact.js";
import { estimateTokens } from "./tokens.js";
import type { LogEntry } from "./types.js";

export interface PreprocessOptions {
  /** Tool output longer than this many characters is cut. */
  maxToolChars?: number;
  /** Any single entry longer than this many characters is cut. */
  maxEntryChars?: number;
}

/** An entry ready for a prompt: noise dropped, bulk cut, secrets redacted. */
export interface CleanEntry {
  key: string;
  at: string;
  role: LogEntry["role"];
  text: string;
  end: number;
  session?: string;
  entryId?: string;
}

export interface PreprocessResult {
  kept: CleanEntry[];
  /** Every input entry's key and end, in order (dropped ones too: they are "mined" once seen). */
  all: { key: string; end: number }[];
  dropped: number;
  redactions: Record<string, number>;
}

const SILENT = /^(NO_REPLY|HEARTBEAT_OK|NO_REPLY\.|HEARTBEAT_OK\.)$/;
const HEARTBEAT_PROMPT = /^Read HEARTBEAT\.md\b|^\[?heartbeat\]?\b/i;
/** OpenClaw's silent pre-compaction turn: the prompt and the agent's housekeeping until the next user turn. */
const MEMORY_FLUSH = /^Pre-compaction memory flush\b/i;
const FAILED_STUB = /^⚠️?\s*Agent failed before reply\b|^(Error|error): (fetch failed|\d{3}\b)/;
const SENDER_META =
  /(?:Sender|Conversation info|Chat info) \(untrusted metadata\):\s*```(?:json)?[\s\S]*?```\s*/g;
const DIRECTIVE = /\[\[\s*[a-z_]+(?:\s*:[^\]]*)?\s*\]\]\s*/gi;
const STAMP =
  /^\[(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{4}-\d{2}-\d{2} \d{2}:\d{2}(?: [A-Z]{2,5}[+-]?\d{0,2})?\]\s*/;

/** Strip transport noise inside an entry: sender metadata, reply directives, the channel's time stamp. */
export function cleanText(entry: LogEntry): string {
  const text = entry.text.replace(SENDER_META, "").replace(DIRECTIVE, "").trim().replace(STAMP, "");
  return text.replace(/\n{3,}/g, "\n\n").trim();
}

/** Cut bulky text. Runs after redaction, so a cut can never leave half a secret unrecognised. */
export function cutText(text: string, tool: boolean, options: PreprocessOptions = {}): string {
  const limit = tool ? (options.maxToolChars ?? 400) : (options.maxEntryChars ?? 4000);
  return text.length > limit
    ? `${text.slice(0, limit)} … [${text.length - limit} more characters cut]`
    : text;
}

export function isNoise(entry: LogEntry, text: string): boolean {
  if (entry.noise) return true;
  if (text === "") return true;
  if (SILENT.test(text)) return true;
  if (entry.role === "user" && HEARTBEAT_PROMPT.test(text)) return true;
  if (entry.role === "assistant" && FAILED_STUB.test(text)) return true;
  return false;
}

/** Drop noise, redact secrets, then cut bulky output. Pure. */
export function preprocess(entries: LogEntry[], options: PreprocessOptions = {}): PreprocessResult {
  const kept: CleanEntry[] = [];
  const redactions: Record<string, number> = {};
  let dropped = 0;
  let inFlush = false;
  for (const entry of entries) {
    const text = cleanText(entry);
    if (entry.role === "user") inFlush = MEMORY_FLUSH.test(text) || (inFlush && entry.tool === true);
    if (inFlush || isNoise(entry, text)) {
      dropped++;
      continue;
    }
    const r = redact(text);
    for (const [k, n] of Object.entries(r.counts)) redactions[k] = (redactions[k] ?? 0) + n;
    const cut = cutText(r.text, entry.tool === true, options);
    const { key, at, role, end, session, entryId } = entry;
    kept.push({ key, at, role, text: cut, end, session, entryId });
  }
  return { kept, all: entries.map((e) => ({ key: e.key, end: e.end })), dropped, redactions };
}

/** How an entry appears in a prompt. */
export function renderEntry(e: CleanEntry): string {
  const when = e.at ? `${e.at.slice(0, 16).replace("T", " ")} ` : "";
  return `[${when}${e.role}] ${e.text}`;
}

export interface Chunk {
  entries: CleanEntry[];
  text: string;
  tokens: number;
  /** The watermark once this chunk is mined. */
  end: number;
  /** Keys of every entry the chunk covers, noise included. */
  keys: string[];
}

/**
 * Split kept entries into chunks of at most `maxTokens` (an entry larger than that is a chunk of
 * its own, already cut by `cutText`). Dropped entries ride along with the next chunk so the
 * watermark covers them too; the last chunk ends at `readEnd`, the end of what was read.
 */
export function chunkEntries(result: PreprocessResult, maxTokens: number, readEnd: number): Chunk[] {
  const chunks: Chunk[] = [];
  let current: CleanEntry[] = [];
  let tokens = 0;
  const flush = () => {
    if (current.length === 0) return;
    const text = current.map(renderEntry).join("\n");
    const end = Math.max(...current.map((e) => e.end));
    chunks.push({ entries: current, text, tokens: estimateTokens(text), end, keys: [] });
    current = [];
    tokens = 0;
  };
  for (const e of result.kept) {
    const t = estimateTokens(renderEntry(e)) + 1;
    if (tokens + t > maxTokens) flush();
    current.push(e);
    tokens += t;
  }
  flush();
  // Give each chunk the keys of all entries (kept or dropped) up to its end.
  let i = 0;
  for (const chunk of chunks) {
    while (i < result.all.length && result.all[i]!.end <= chunk.end) chunk.keys.push(result.all[i++]!.key);
  }
  const last = chunks.at(-1);
  if (last) {
    while (i < result.all.length) last.keys.push(result.all[i++]!.key);
    last.end = Math.max(last.end, readEnd);
  }
  return chunks;
}
