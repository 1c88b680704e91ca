/**
 * Trust gating, before anything reaches the model. Three kinds of log text are not knowledge to
 * mine, whatever they say:
 * - `memory`: results of the agent's own memory tools (`memory_search`, `memory_get`…) — their text
 *   is the brain itself, and mining it back would be a recall loop;
 * - `dreaming`: OpenClaw's dreaming output and other generated memory reports (`memory/dreaming/`,
 *   `DREAMS.md`) — summaries of what was already remembered;
 * - `housekeeping`: sessions that are heartbeats or cron jobs, not people or agents at work.
 * Each is on by default and can be turned off per source (`gate: { memory: false }`); the rules are
 * in `gate.ts`.
 */
export interface GateOptions {
  memory: boolean;
  dreaming: boolean;
  housekeeping: boolean;
  /** More tool names whose results are never mined (e.g. a custom knowledge-base reader). */
  tools: string[];
}

export type GateReason = "memory" | "dreaming" | "housekeeping";

/** One log entry as the mine pipeline sees it, whatever format it came from. */
export interface LogEntry {
  /** Stable key: the same entry read again (a fork, a reset, a rotated copy) has the same key. */
  key: string;
  /** ISO timestamp of the entry (relative dates in it are resolved against this). */
  at: string;
  role: "user" | "assistant" | "tool" | "note";
  /** Plain text, before preprocessing. */
  text: string;
  /** Tool output, kept apart so preprocessing can truncate it. */
  tool?: boolean;
  /** Failed model calls and other stubs that carry nothing to mine. */
  noise?: boolean;
  /** Byte offset (or store sequence) just past this entry: where the watermark moves once it is mined. */
  end: number;
  /** The session the entry belongs to (a transcript's session id, a note's file name), for provenance. */
  session?: string;
  /** The entry's own id in its format (an entry id, a record uuid, `L12` for a line), for provenance. */
  entryId?: string;
  /** For tool output: the tool that produced it (through OpenClaw's `tool_call` wrapper too). */
  toolName?: string;
  /** How the session was started, where the log says: `cron`, `heartbeat`, an interactive channel… */
  sessionKind?: string;
  /** A memory tool call that read the brain back: counted as a read (`kb audit`), never mined. */
  retrieval?: MemoryCall;
}

/** One `memory_search` or `memory_get` call in an agent's log: what it asked, and what came back. */
export interface MemoryCall {
  tool: "memory_search" | "memory_get";
  /** The tool call's id in its session, so a call logged twice (wrapper and nested) counts once. */
  callId: string;
  /** The query searched for, or the path asked for. */
  query: string;
  /** Each result's path as the tool gave it (relative to the agent's workspace), with its lines. */
  results: { path: string; from?: number; to?: number; snippet?: string; score?: number }[];
}

/** What a reader returns for one log file (or one SQLite store). */
export interface SourceRead {
  file: string;
  entries: LogEntry[];
  /** Bytes (or sequence) the watermark may advance to when every entry is mined. */
  end: number;
  /** Total size of the file in bytes (0 for stores). */
  size: number;
  /** Raw bytes read this time (for the benchmark and `--plan`). */
  rawBytes: number;
}

export type SourceKind =
  | "openclaw"
  | "openclaw-jsonl"
  | "openclaw-sqlite"
  | "openclaw-memory"
  | "claude-code"
  | "markdown";

export interface MineSource {
  agent: string;
  kind: SourceKind;
  path: string;
  apiKeyEnv?: string;
  gate?: Partial<GateOptions>;
}
