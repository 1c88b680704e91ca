import { isMap, isScalar, parseDocument, type Scalar } from "yaml";
import { setField } from "../brain/frontmatter-edit.js";
import { compareText, type MergeConflict } from "./conflict-types.js";

/** One top-level key of a frontmatter block: its raw text (key line to the next key) and value. */
interface Field {
  key: string;
  text: string;
  value: unknown;
}

interface FieldList {
  /** Comments or blank lines before the first key. */
  prelude: string;
  fields: Field[];
}

export interface FrontmatterMergeResult {
  /** The merged YAML text (between the fences), or null for no frontmatter. */
  yaml: string | null;
  conflicts: Omit<MergeConflict, "path">[];
  /** Lines for the body recording values that lost a clash, so both versions stay in the file. */
  notes: string[];
}

/**
 * 3-way merge of frontmatter per field. A field changed on one side takes that change; changed
 * on both: dates take the later, lists merge as 3-way sets, anything else is a conflict (the
 * smaller value is kept, the other recorded). Deleted on one side and edited on the other keeps
 * the edit. Symmetric in ours/theirs. Inputs are LF YAML texts that parsed as mappings.
 */
export function mergeFrontmatter(
  base: string | null,
  ours: string | null,
  theirs: string | null,
): FrontmatterMergeResult {
  const none = { conflicts: [], notes: [] };
  if (ours === theirs || ours === base) return { yaml: theirs, ...none };
  if (theirs === base) return { yaml: ours, ...none };
  const [first, second] = compareText(ours ?? "", theirs ?? "") <= 0 ? [ours, theirs] : [theirs, ours];
  const o = splitFields(base ?? "");
  const s = splitFields(first ?? "");
  const t = splitFields(second ?? "");
  const find = (list: FieldList, key: string) => list.fields.find((f) => f.key === key);
  const conflicts: Omit<MergeConflict, "path">[] = [];
  const notes: string[] = [];
  const keys = [...s.fields.map((f) => f.key)];
  for (const f of t.fields) if (!keys.includes(f.key)) keys.push(f.key);
  const parts: string[] = [s.prelude];
  for (const key of keys) {
    const merged = mergeField(key, find(o, key), find(s, key), find(t, key));
    if (merged.text !== undefined) parts.push(merged.text);
    if (merged.conflict) {
      conflicts.push(merged.conflict);
      notes.push(merged.note!);
    }
  }
  const yaml = parts.join("");
  return { yaml: yaml === "" && first === null && second === null ? null : yaml, conflicts, notes };
}

function mergeField(
  key: string,
  o: Field | undefined,
  s: Field | undefined,
  t: Field | undefined,
): { text?: string; conflict?: Omit<MergeConflict, "path">; note?: string } {
  if (s?.text === t?.text || s?.text === o?.text) return { text: t?.text };
  if (t?.text === o?.text) return { text: s?.text };
  if (!s || !t) return { text: (s ?? t)!.text }; // edit vs delete keeps the edit
  if (same(s.value, t.value)) return { text: s.text };
  const [ds, dt] = [asDate(s.value), asDate(t.value)];
  if (ds !== null && dt !== null) return { text: ds >= dt ? s.text : t.text };
  if (Array.isArray(s.value) && Array.isArray(t.value) && allScalars(s.value) && allScalars(t.value)) {
    const merged = mergeSets(Array.isArray(o?.value) ? o.value : [], s.value, t.value);
    return { text: rewriteList(s.text, key, merged) };
  }
  const shown = (v: unknown) => JSON.stringify(v);
  return {
    text: s.text,
    conflict: {
      kind: "frontmatter-field",
      severity: "conflict",
      detail: `both hosts changed "${key}": kept ${shown(s.value)}, the other value was ${shown(t.value)}`,
    },
    note: `<!-- kb:conflict frontmatter ${key}: the other host set ${shown(t.value).replace(/--/g, "- -")} -->`,
  };
}

/** Items of the base kept only if both sides kept them; additions of either side appended in order. */
function mergeSets(o: unknown[], s: unknown[], t: unknown[]): unknown[] {
  const k = (v: unknown) => JSON.stringify(v);
  const inO = new Set(o.map(k));
  const inS = new Set(s.map(k));
  const inT = new Set(t.map(k));
  const out: unknown[] = [];
  const seen = new Set<string>();
  for (const v of [...s, ...t]) {
    const key = k(v);
    if (seen.has(key)) continue;
    if (inO.has(key) && !(inS.has(key) && inT.has(key))) continue;
    seen.add(key);
    out.push(v);
  }
  return out;
}

function rewriteList(fieldText: string, key: string, values: unknown[]): string {
  const doc = `---\n${fieldText.endsWith("\n") ? fieldText : `${fieldText}\n`}---\n`;
  const splice = setField(
    doc,
    key,
    values.map((v) => String(v)),
  );
  const next = doc.slice(0, splice.start) + splice.text + doc.slice(splice.end);
  return next.slice(4, -4);
}

function splitFields(yamlText: string): FieldList {
  const doc = parseDocument(yamlText, { keepSourceTokens: false });
  if (!isMap(doc.contents) || doc.contents.items.length === 0) return { prelude: yamlText, fields: [] };
  const starts = doc.contents.items.map((pair) => {
    const at = (pair.key as Scalar).range![0];
    return yamlText.lastIndexOf("\n", at - 1) + 1;
  });
  const fields = doc.contents.items.map((pair, i) => ({
    key: String(isScalar(pair.key) ? pair.key.value : pair.key),
    text: yamlText.slice(starts[i]!, starts[i + 1] ?? yamlText.length),
    value: toJs(pair.value),
  }));
  const text = fields.at(-1)!.text;
  if (!text.endsWith("\n")) fields.at(-1)!.text = `${text}\n`;
  return { prelude: yamlText.slice(0, starts[0]), fields };
}

function toJs(node: unknown): unknown {
  if (node && typeof node === "object" && "toJSON" in node) return (node as { toJSON(): unknown }).toJSON();
  return node;
}

function same(x: unknown, y: unknown): boolean {
  return JSON.stringify(x) === JSON.stringify(y);
}

function allScalars(values: unknown[]): boolean {
  return values.every((v) => v === null || ["string", "number", "boolean"].includes(typeof v));
}

/** A date-like value (YAML date, ISO date or time string) as epoch ms, else null. */
function asDate(value: unknown): number | null {
  if (value instanceof Date) return value.getTime();
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value))
    return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}
