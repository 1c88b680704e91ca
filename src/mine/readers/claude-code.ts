import type { LogEntry } from "../types.js";
import { asRecord, asString, type JsonLine } from "./jsonl.js";
import { contentText } from "./openclaw.js";

/**
 * Claude Code transcripts: one JSON record per line. The records of one assistant response share
 * `message.id` (one per content block when streamed) and are merged into one entry, keyed by that
 * id; other records are keyed by `uuid`. Sidechain (sub-agent) records are kept: they are work too.
 */
export function claudeCodeEntries(lines: JsonLine[]): LogEntry[] {
  const out: LogEntry[] = [];
  const byMessage = new Map<string, LogEntry>();
  for (const line of lines) {
    const r = asRecord(line.value);
    if (r.type !== "user" && r.type !== "assistant") continue;
    const m = asRecord(r.message);
    const at = asString(r.timestamp);
    const content = Array.isArray(m.content) ? m.content.map(asRecord) : m.content;
    const isToolResult =
      Array.isArray(content) && content.length > 0 && content.every((b) => b.type === "tool_result");
    const text = contentText(content);
    if (r.type === "assistant") {
      const id = asString(m.id) || asString(r.uuid);
      const previous = byMessage.get(id);
      if (previous) {
        if (text) previous.text = previous.text ? `${previous.text}\n${text}` : text;
        previous.end = line.end;
        continue;
      }
      const entry: LogEntry = { key: `cc:${id}`, at, role: "assistant", text, end: line.end, ...ids(r) };
      byMessage.set(id, entry);
      out.push(entry);
      continue;
    }
    out.push({
      key: `cc:${asString(r.uuid)}`,
      at,
      role: isToolResult ? "tool" : "user",
      text,
      tool: isToolResult || undefined,
      end: line.end,
      ...ids(r),
    });
  }
  return out;
}

/** The record's session and its own uuid, for provenance. */
function ids(r: Record<string, unknown>): { session?: string; entryId?: string } {
  return { session: asString(r.sessionId) || undefined, entryId: asString(r.uuid) || undefined };
}
