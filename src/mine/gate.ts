import { sep } from "node:path";
import type { GateOptions, GateReason, LogEntry } from "./types.js";

/**
 * Trust gating, before anything reaches the model: see `GateOptions` for the three kinds of log
 * text that are not knowledge to mine, whatever they say.
 */
export const DEFAULT_GATE: GateOptions = { memory: true, dreaming: true, housekeeping: true, tools: [] };

/** Tools that read the agent's memory back (OpenClaw memory-core). */
export const MEMORY_TOOLS = ["memory_search", "memory_get", "memory_recall"];

/** kb's own MCP tools as an MCP client names them (`kb__search`, `mcp__kb__read_file`, `kb.outline`…). */
const KB_MCP_TOOL = /(?:^|[_.:/-])kb(?:__|[.:/-])(?:search|read_file|outline)$/;

/** Whether a tool's result is the brain or the agent's memory read back. */
export function isMemoryTool(name: string): boolean {
  const n = name.toLowerCase();
  return MEMORY_TOOLS.includes(n) || KB_MCP_TOOL.test(n);
}

/** Why a whole file is gated, or null: dreaming output and generated memory reports. */
export function gateFile(file: string, options: GateOptions): GateReason | null {
  if (!options.dreaming) return null;
  const parts = file.split(sep);
  const name = parts.at(-1) ?? "";
  if (parts.includes("dreaming") || parts.includes(".dreams") || /^DREAMS\.md$/i.test(name))
    return "dreaming";
  return null;
}

/** Why one entry is gated, or null to keep it. */
export function gateEntry(entry: LogEntry, options: GateOptions): GateReason | null {
  // Noise carries nothing to mine and is dropped later, not counted as knowledge kept out.
  if (entry.noise) return null;
  if (options.housekeeping && (entry.sessionKind === "cron" || entry.sessionKind === "heartbeat"))
    return "housekeeping";
  if (entry.role === "tool" && entry.toolName) {
    const name = entry.toolName.toLowerCase();
    if (options.memory && isMemoryTool(name)) return "memory";
    if (options.tools.some((t) => t.toLowerCase() === name)) return "memory";
  }
  return null;
}

/** Split entries into those to mine and counts of those gated, by reason. Pure. */
export function gate(entries: LogEntry[], options: GateOptions) {
  const kept: LogEntry[] = [];
  const gated: Partial<Record<GateReason, number>> = {};
  for (const e of entries) {
    const reason = gateEntry(e, options);
    if (reason) gated[reason] = (gated[reason] ?? 0) + 1;
    else kept.push(e);
  }
  return { kept, gated };
}
