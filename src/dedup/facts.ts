import { isPinned, readProvenance } from "../brain/provenance.js";
import type { BrainDoc } from "../brain/types.js";
import type { ScopeFact } from "./survivor.js";

/** The facts of a scope's documents, with what the planner needs to know about each. */
export function scopeFacts(docs: BrainDoc[]): ScopeFact[] {
  const out: ScopeFact[] = [];
  for (const doc of docs) {
    const data = doc.frontmatter?.data ?? {};
    const filePinned = data.pinned === true;
    const updated = dateText(data.updated);
    for (const fact of doc.facts) {
      const dates = readProvenance(fact.text).map((p) => p.date);
      out.push({
        path: doc.path,
        line: fact.line,
        index: fact.index,
        text: fact.text,
        pinned: filePinned || isPinned(fact.text),
        hasChildren: fact.hasChildren,
        date: dates.sort().at(-1) ?? updated,
      });
    }
  }
  return out;
}

function dateText(value: unknown): string {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return typeof value === "string" && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : "";
}
