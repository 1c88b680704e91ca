import type { LogEntry } from "../types.js";
import { asRecord, asString } from "./jsonl.js";
import { memoryCall, nestedMemoryCall } from "./memory-calls.js";

/** A tool call seen in an assistant message: the tool it reaches, and its arguments. */
type Call = { name: string; args: Record<string, unknown> };

/** What kb knows of a session beyond its entries: its id, and how it was started. */
export interface SessionInfo {
  id: string;
  /** OpenClaw's session key, e.g. `agent:main:cron:nightly` or `agent:cs:telegram:direct:42`. */
  sessionKey?: string;
  /** `operator`, `channel`, `cron`, `spawn`… (agent store `session_nodes.created_via`). */
  createdVia?: string;
}

/**
 * OpenClaw (pi SessionManager) transcript entries, formats v1–v4: a `session` header, then entries
 * linked by id/parentId. `message` entries carry the conversation — roles user, assistant,
 * toolResult, and since v4 `custom` (application messages) and `bashExecution` (shell runs);
 * `custom_message` entries are notes. The key is the entry id plus its timestamp, so a fork or a
 * reset that copies entries does not mine them twice. The SQLite store holds the same objects.
 */
export function openclawEntry(value: unknown, end: number, calls = new Map<string, Call>()): LogEntry | null {
  const e = asRecord(value);
  const base = {
    key: keyOf(e),
    at: asString(e.timestamp),
    end,
    ...(typeof e.id === "string" ? { entryId: e.id } : {}),
  };
  if (e.type === "custom_message") {
    const text = contentText(e.content);
    return text ? { ...base, role: "note", text } : null;
  }
  if (e.type !== "message") return null;
  const m = asRecord(e.message);
  const at = base.at || epochIso(m.timestamp);
  switch (m.role) {
    case "user":
      return { ...base, at, role: "user", text: contentText(m.content) };
    case "assistant": {
      const failed = m.stopReason === "error" || m.stopReason === "aborted";
      const text = contentText(m.content);
      for (const call of toolCalls(m.content)) calls.set(call.id, call);
      return { ...base, at, role: "assistant", text, noise: failed && text.trim() === "" };
    }
    case "toolResult": {
      const toolName = effectiveToolName(m, calls);
      const callId = asString(m.toolCallId);
      const call = calls.get(callId);
      const retrieval = m.isError ? null : memoryCall(toolName, callId, call?.args ?? {}, m);
      return {
        ...base,
        at,
        role: "tool",
        text: `[${toolName || "tool"}${m.isError ? " error" : ""}] ${contentText(m.content)}`,
        tool: true,
        toolName,
        ...(retrieval ? { retrieval } : {}),
      };
    }
    case "bashExecution": {
      const output = asString(m.output);
      const text = `[bash${m.exitCode ? ` exit ${String(m.exitCode)}` : ""}] ${asString(m.command)}${output ? `\n${output}` : ""}`;
      return { ...base, at, role: "tool", text, tool: true, toolName: "bash" };
    }
    case "custom": {
      // A memory tool run through OpenClaw's tool_call wrapper: a read of the brain, nothing to mine.
      const retrieval = nestedMemoryCall(m);
      if (retrieval)
        return {
          ...base,
          at,
          role: "tool",
          text: "",
          tool: true,
          toolName: retrieval.tool,
          noise: true,
          retrieval,
        };
      // Application messages; display-only activity kept out of the model's context is not conversation.
      if (m.display === false || m.excludeFromContext === true) return null;
      const text = contentText(m.content);
      return text ? { ...base, at, role: "note", text } : null;
    }
    default:
      return null;
  }
}

/** Entries of one session, in order; tool results learn their tool's name from the call before them. */
export function openclawEntries(lines: { value: unknown; end: number }[], session?: SessionInfo): LogEntry[] {
  const header = lines.map((l) => asRecord(l.value)).find((v) => v.type === "session");
  const info = session ?? (typeof header?.id === "string" ? { id: header.id } : undefined);
  const kind = info ? sessionKind(info) : undefined;
  const calls = new Map<string, Call>();
  const out: LogEntry[] = [];
  for (const line of lines) {
    const entry = openclawEntry(line.value, line.end, calls);
    if (!entry) continue;
    if (info) entry.session = info.id;
    if (kind) entry.sessionKind = kind;
    out.push(entry);
  }
  return out;
}

/** `cron` or `heartbeat` for housekeeping sessions, else how the session was created (if known). */
export function sessionKind(info: SessionInfo): string | undefined {
  const key = info.sessionKey ?? "";
  if (/:heartbeat(?::|$)/.test(key)) return "heartbeat";
  if (info.createdVia === "cron" || /:cron(?::|$)/.test(key)) return "cron";
  return info.createdVia;
}

/** Text and tool-call blocks; thinking and images are dropped here. */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  const parts: string[] = [];
  for (const block of content.map(asRecord)) {
    if (block.type === "text") parts.push(asString(block.text));
    else if (block.type === "toolCall" || block.type === "tool_use") {
      parts.push(`[call ${asString(block.name)}] ${JSON.stringify(block.arguments ?? block.input ?? {})}`);
    } else if (block.type === "tool_result") {
      parts.push(contentText(block.content));
    }
  }
  return parts.filter((p) => p.trim() !== "").join("\n");
}

/** Tool calls in an assistant message, with the tool they reach through OpenClaw's `tool_call` wrapper. */
function toolCalls(content: unknown): (Call & { id: string })[] {
  if (!Array.isArray(content)) return [];
  return content
    .map(asRecord)
    .filter((b) => b.type === "toolCall" || b.type === "tool_use")
    .map((b) => {
      const name = asString(b.name);
      const args = asRecord(b.arguments ?? b.input);
      const inner = name === "tool_call" ? asString(args.id) || asString(args.name) : "";
      return { id: asString(b.id), name: inner || name, args: inner ? asRecord(args.args) : args };
    });
}

/**
 * The tool behind a result. OpenClaw 2026.9 reaches most tools through `tool_call`, whose result
 * is `{"tool": {"name": …}, "result": …}`; older versions name the tool directly.
 */
function effectiveToolName(m: Record<string, unknown>, calls: Map<string, Call>): string {
  const name = asString(m.toolName);
  if (name !== "tool_call") return name;
  const wrapped = /^\s*\{\s*"tool"\s*:\s*\{[^}]*?"name"\s*:\s*"([^"]+)"/.exec(contentText(m.content));
  return wrapped?.[1] ?? calls.get(asString(m.toolCallId))?.name ?? name;
}

function keyOf(e: Record<string, unknown>): string {
  return `${asString(e.id)}@${asString(e.timestamp)}`;
}

function epochIso(ms: unknown): string {
  return typeof ms === "number" && Number.isFinite(ms) ? new Date(ms).toISOString() : "";
}

/**
 * Ids on the active path: from the leaf back to the root through `parentId`. The leaf is the last
 * entry, or where the last `leaf` control points (v4: a rewind moves the leaf without adding
 * messages; a null target goes back to the start). Entries of abandoned branches (a draft the user
 * rewound) are not on it. Null for v1 files without ids.
 */
export function activePath(lines: { value: unknown }[]): Set<string> | null {
  const parent = new Map<string, string | null>();
  let leaf: string | null = null;
  for (const line of lines) {
    const e = asRecord(line.value);
    if (e.type === "session" || typeof e.id !== "string") continue;
    if (e.type === "leaf") {
      leaf = typeof e.targetId === "string" ? e.targetId : null;
      continue;
    }
    parent.set(e.id, typeof e.parentId === "string" ? e.parentId : null);
    leaf = e.id;
  }
  if (parent.size === 0) return null;
  const active = new Set<string>();
  for (let at: string | null = leaf; at !== null && !active.has(at); at = parent.get(at) ?? null)
    active.add(at);
  return active;
}
