import type { LogEntry } from "../types.js";
import { asRecord, asString, type JsonLine } from "./jsonl.js";

/**
 * OpenClaw (pi SessionManager) transcript entries, format v1–v3: a `session` header line, then
 * entries linked by id/parentId. Only `message` entries carry conversation; the key is the entry id
 * plus its timestamp, so a fork or a reset that copies entries does not mine them twice.
 * The same entry objects are stored as `event_json` in the SQLite store, so both readers use this.
 */
export function openclawEntry(value: unknown, end: number): LogEntry | null {
  const e = asRecord(value);
  if (e.type === "custom_message") {
    const text = contentText(e.content);
    return text ? { key: keyOf(e), at: asString(e.timestamp), role: "note", text, end } : null;
  }
  if (e.type !== "message") return null;
  const m = asRecord(e.message);
  const at = asString(e.timestamp) || epochIso(m.timestamp);
  const key = keyOf(e);
  switch (m.role) {
    case "user":
      return { key, at, role: "user", text: contentText(m.content), end };
    case "assistant": {
      const failed = m.stopReason === "error" || m.stopReason === "aborted";
      const text = contentText(m.content);
      return { key, at, role: "assistant", text, end, noise: failed && text.trim() === "" };
    }
    case "toolResult":
      return {
        key,
        at,
        role: "tool",
        text: `[${asString(m.toolName) || "tool"}${m.isError ? " error" : ""}] ${contentText(m.content)}`,
        tool: true,
        end,
      };
    default:
      return null;
  }
}

export function openclawEntries(lines: JsonLine[], session?: string): LogEntry[] {
  const out: LogEntry[] = [];
  for (const line of lines) {
    const entry = openclawEntry(line.value, line.end);
    if (entry) out.push({ ...entry, session, entryId: asString(asRecord(line.value).id) || undefined });
  }
  return out;
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

function keyOf(e: Record<string, unknown>): string {
  return `${asString(e.id)}@${asString(e.timestamp)}`;
}

function epochIso(ms: unknown): string {
  return typeof ms === "number" && Number.isFinite(ms) ? new Date(ms).toISOString() : "";
}

/**
 * Ids on the active path: from the last entry back to the root through `parentId`. Entries of
 * abandoned branches (a draft the user rewound) are not on it. Null for v1 files without ids.
 */
export function activePath(lines: JsonLine[]): Set<string> | null {
  const parent = new Map<string, string | null>();
  let leaf: string | null = null;
  for (const line of lines) {
    const e = asRecord(line.value);
    if (e.type === "session" || typeof e.id !== "string") continue;
    parent.set(e.id, typeof e.parentId === "string" ? e.parentId : null);
    leaf = e.id;
  }
  if (leaf === null) return null;
  const active = new Set<string>();
  for (let at: string | null = leaf; at !== null && !active.has(at); at = parent.get(at) ?? null)
    active.add(at);
  return active;
}
