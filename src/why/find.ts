import { type Provenance, readProvenance, stripKbComments } from "../brain/provenance.js";
import { ARCHIVE_DIR } from "../brain/scan.js";
import type { BrainDoc } from "../brain/types.js";
import { normaliseFact } from "../dedup/normalise.js";
import { UsageError } from "../errors.js";

/** A fact in the brain, as `kb why` names it. */
export interface FoundFact {
  path: string;
  line: number;
  /** The fact without kb's comments. */
  text: string;
  /** The fact as written, comments included. */
  raw: string;
  provenance: Provenance[];
  archived: boolean;
}

const FILE_LINE = /^(.+\.md):(\d+)$/i;

/**
 * The facts `target` names: `FILE:LINE` (brain-relative) or a fact's text, compared after dedup's
 * normalisation (case, spacing, kb comments); when no fact has that text, facts that contain it.
 */
export function findFacts(docs: BrainDoc[], target: string): FoundFact[] {
  const at = FILE_LINE.exec(target.trim());
  if (at) {
    const path = at[1]!.replace(/^\.\/+/, "");
    const line = Number(at[2]);
    const doc = docs.find((d) => d.path === path);
    if (!doc)
      throw new UsageError(
        "WHY_NO_FILE",
        `${path} is not a file in the brain (or kb cannot read it; see kb scan)`,
      );
    const fact = doc.facts.find((f) => f.line === line);
    if (!fact) {
      const lines = doc.facts.map((f) => f.line);
      const shown = lines.length > 12 ? `${lines.slice(0, 12).join(", ")}, …` : lines.join(", ");
      throw new UsageError(
        "WHY_NOT_A_FACT",
        `line ${line} of ${path} is not a fact; facts start on line${lines.length === 1 ? "" : "s"} ${shown || "(none)"}`,
      );
    }
    return [found(doc, fact.line, fact.text)];
  }
  const want = normaliseFact(target);
  if (want === "") throw new UsageError("WHY_EMPTY", 'name a fact: kb why FILE:LINE or kb why "fact text"');
  const all = docs.flatMap((d) => d.facts.map((f) => ({ d, f, norm: normaliseFact(f.text) })));
  let hits = all.filter((x) => x.norm === want);
  if (hits.length === 0) hits = all.filter((x) => x.norm.includes(want));
  if (hits.length === 0)
    throw new UsageError(
      "WHY_NO_FACT",
      `no fact in the brain reads "${target.slice(0, 120)}"; give FILE:LINE, or part of the fact's text`,
    );
  return hits.map((x) => found(x.d, x.f.line, x.f.text));
}

function found(doc: BrainDoc, line: number, raw: string): FoundFact {
  return {
    path: doc.path,
    line,
    text: stripKbComments(raw),
    raw,
    provenance: readProvenance(raw),
    archived: doc.path.startsWith(`${ARCHIVE_DIR}/`),
  };
}
