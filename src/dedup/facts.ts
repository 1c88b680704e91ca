import { isPinned, readProvenance, stripKbComments } from "../brain/provenance.js";
import type { BrainDoc } from "../brain/types.js";
import { factKey } from "../search/reads.js";
import type { ScopeFact } from "./survivor.js";

/**
 * The facts of a scope's documents, with what the planner needs to know about each; `reads` (keyed
 * `path\ntext`, see `factReads`) says how often agents retrieved each.
 */
export function scopeFacts(docs: BrainDoc[], reads?: Map<string, number>): ScopeFact[] {
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
        ...(reads && reads.size > 0
          ? { reads: reads.get(factKey(doc.path, stripKbComments(fact.text))) ?? 0 }
          : {}),
      });
    }
  }
  return out;
}

function dateText(value: unknown): string {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return typeof value === "string" && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : "";
}
