import { join } from "node:path";
import { writeAtomic } from "../runtime/atomic.js";
import type { MergeConflict } from "./conflict-types.js";

export interface UnresolvedConflicts {
  /** Brain files that still hold a kb conflict marker. */
  marked: string[];
  /** Conflict copies still present. */
  copies: string[];
}

/** The conflict report for people: what clashed, where both versions are, what to do. Pure. */
export function renderConflictReport(input: {
  host: string;
  runId: number;
  at: string;
  conflicts: MergeConflict[];
  unresolved: UnresolvedConflicts;
}): string {
  const lines = [`# kb sync conflicts on ${input.host} (run ${input.runId}, ${input.at})`, ""];
  const needs = input.conflicts.filter((c) => c.severity === "conflict");
  const notes = input.conflicts.filter((c) => c.severity === "note");
  lines.push(
    `${needs.length} conflict(s) in this run, ${notes.length} note(s); ` +
      `${input.unresolved.marked.length} file(s) still marked and ${input.unresolved.copies.length} conflict copy(ies) in the brain.`,
    "",
    "Both versions are kept in the brain. To resolve: edit the file, keep the right version, delete the",
    "`<!-- kb:conflict … -->` markers (and the conflict copy, if any), and let the next sync publish it.",
    "",
  );
  if (needs.length > 0) {
    lines.push("## Conflicts", "");
    for (const c of needs)
      lines.push(
        `- \`${c.path}\` (${c.kind}): ${c.detail}${c.copy ? ` — other version in \`${c.copy}\`` : ""}`,
      );
    lines.push("");
  }
  if (notes.length > 0) {
    lines.push("## Settled automatically", "");
    for (const c of notes) lines.push(`- \`${c.path}\` (${c.kind}): ${c.detail}`);
    lines.push("");
  }
  const open = [...input.unresolved.marked, ...input.unresolved.copies];
  if (open.length > 0) {
    lines.push("## Still unresolved in the brain", "");
    for (const p of open) lines.push(`- \`${p}\``);
    lines.push("");
  }
  return lines.join("\n");
}

export async function writeConflictReport(
  reportsDir: string,
  name: string,
  markdown: string,
): Promise<string> {
  const path = join(reportsDir, "sync", name);
  await writeAtomic(path, markdown);
  return path;
}
