import { applySplices, type Splice } from "../brain/edit.js";
import { type FieldValue, setField, unsetField } from "../brain/frontmatter-edit.js";

/** One frontmatter change: a value to set, or `null` to remove the key. */
export type FieldChange = [key: string, value: FieldValue | null];

/**
 * Apply several frontmatter changes in order (each a minimal-diff `setField`/`unsetField` on the
 * result of the previous one) and return them as one splice covering only the bytes that differ.
 * New keys land in the order given.
 */
export function setFields(text: string, changes: FieldChange[]): Splice[] {
  let after = text;
  for (const [key, value] of changes) {
    const splice = value === null ? unsetField(after, key) : setField(after, key, value);
    if (splice) after = applySplices(after, [splice]);
  }
  if (after === text) return [];
  let start = 0;
  while (start < text.length && start < after.length && text[start] === after[start]) start++;
  let end = 0;
  while (
    end < text.length - start &&
    end < after.length - start &&
    text[text.length - 1 - end] === after[after.length - 1 - end]
  )
    end++;
  return [{ start, end: text.length - end, text: after.slice(start, after.length - end) }];
}
