/** What the merge driver could not settle on its own, or settled in a way a person should see. */
export interface MergeConflict {
  path: string;
  kind:
    | "fact-edited-both"
    | "text-clash"
    | "frontmatter-field"
    | "unparseable"
    | "non-markdown"
    | "edit-vs-delete";
  /** `conflict` needs a person; `note` is informational (e.g. an edit kept over a deletion). */
  severity: "conflict" | "note";
  detail: string;
  /** A conflict copy written next to the file, when there is one (brain-relative). */
  copy?: string;
}

/** The marker kb leaves in a brain file where both versions were kept: an HTML comment, valid markdown. */
export const CONFLICT_MARK = "<!-- kb:conflict -->";
export const CONFLICT_BLOCK_START = "<!-- kb:conflict other version of the lines above: -->";
export const CONFLICT_BLOCK_END = "<!-- kb:conflict-end -->";
/** Matches any kb conflict marker (what `kb status` and doctor look for). */
export const CONFLICT_MARKER_PATTERN = "<!-- kb:conflict";

/** Order two strings the same way on every host (code-unit order, not locale). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
