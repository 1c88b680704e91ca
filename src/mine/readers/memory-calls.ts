import type { MemoryCall } from "../types.js";
import { asRecord, asString } from "./jsonl.js";

/**
 * The brain reads in an OpenClaw log: `memory_search` and `memory_get` calls with their results.
 * OpenClaw 2026.9 logs a call made through its `tool_call` wrapper as a nested-tool event (input
 * and result side by side); older versions log the call in the assistant's message and the result
 * as a `toolResult`. Both name the same call id, so a call logged both ways is one read.
 */

const MEMORY_READ_TOOLS = new Set(["memory_search", "memory_get"]);
export const NESTED_TOOL_EVENT = "openclaw.nested-tool.v1";

/** A nested-tool event's memory call (`custom` message, `customType` openclaw.nested-tool.v1), or null. */
export function nestedMemoryCall(message: Record<string, unknown>): MemoryCall | null {
  if (message.customType !== NESTED_TOOL_EVENT) return null;
  const d = asRecord(message.details);
  const callId = asString(d.parentToolCallId) || asString(d.toolCallId);
  return memoryCall(asString(d.toolName), callId, asRecord(d.input), asRecord(d.result));
}

/**
 * A memory call from its parts: the tool's name, the call's id and arguments, and the tool's result
 * (`{content, details}` as OpenClaw returns it, or the parsed JSON text). Null for other tools,
 * failed calls, and results that are not the memory tools' JSON.
 */
export function memoryCall(
  tool: string,
  callId: string,
  args: Record<string, unknown>,
  result: Record<string, unknown>,
): MemoryCall | null {
  if (!MEMORY_READ_TOOLS.has(tool) || !callId) return null;
  const value = resultValue(result);
  if (!value) return null;
  if (tool === "memory_search") {
    const results = Array.isArray(value.results) ? value.results.map(asRecord) : [];
    return {
      tool,
      callId,
      query: asString(args.query),
      results: results
        .filter((r) => asString(r.path))
        .map((r) => ({
          path: asString(r.path),
          ...lines(r.startLine, r.endLine),
          snippet: asString(r.snippet),
          ...(typeof r.score === "number" ? { score: r.score } : {}),
        })),
    };
  }
  const path = asString(value.path) || asString(args.path);
  if (!path || value.status === "not_found" || value.status === "error") return null;
  const from = typeof args.from === "number" ? args.from : undefined;
  const to = from !== undefined && typeof args.lines === "number" ? from + args.lines - 1 : undefined;
  return { tool: "memory_get", callId, query: path, results: [{ path, ...lines(from, to) }] };
}

/** The JSON a memory tool returned: its `details`, else its text content parsed (a wrapper's `result` unwrapped). */
function resultValue(result: Record<string, unknown>): Record<string, unknown> | null {
  const details = asRecord(result.details);
  if (Object.keys(details).length > 0 && ("results" in details || "path" in details)) return details;
  const content = Array.isArray(result.content) ? result.content.map(asRecord) : [];
  const text =
    content.find((c) => c.type === "text")?.text ?? (typeof result.text === "string" ? result.text : "");
  try {
    const parsed = asRecord(JSON.parse(asString(text)));
    // OpenClaw's tool_call wrapper: {"tool": {"name": …}, "result": …}.
    if ("tool" in parsed && "result" in parsed) return resultValue(asRecord(parsed.result));
    return "results" in parsed || "path" in parsed ? parsed : null;
  } catch {
    return null;
  }
}

function lines(from: unknown, to: unknown): { from?: number; to?: number } {
  return {
    ...(typeof from === "number" ? { from } : {}),
    ...(typeof to === "number" ? { to } : {}),
  };
}
