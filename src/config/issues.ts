import { distance } from "fastest-levenshtein";
import { type Document, isMap, isSeq, LineCounter, parseDocument, type Node as YamlNode } from "yaml";
import type { z } from "zod";

/** One problem in a config file, located to a line. */
export interface ConfigProblem {
  file: string;
  line: number | null;
  key: string;
  message: string;
  accepted?: string[];
  suggestion?: string;
}

export function formatProblem(p: ConfigProblem): string {
  const where = p.line ? `${p.file}:${p.line}` : p.file;
  const hint = p.suggestion ? `; did you mean "${p.suggestion}"?` : "";
  const accepted = p.accepted?.length ? ` Accepted keys: ${p.accepted.join(", ")}.` : "";
  return `${where}: ${p.key ? `"${p.key}" ` : ""}${p.message}${hint}${accepted}`;
}

/** Turn zod issues into problems that name the file, the line, the key and what would be valid. */
export function problemsFromIssues(
  issues: z.core.$ZodIssue[],
  doc: Document,
  lines: LineCounter,
  file: string,
  schema: z.ZodType,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of issues) {
    const path = issue.path.map(String);
    if (issue.code === "unrecognized_keys") {
      const accepted = keysAt(schema, path);
      for (const key of issue.keys) {
        problems.push({
          file,
          line: lineOf(doc, lines, [...path, key], true),
          key: [...path, key].join("."),
          message: "is not a known key",
          accepted,
          ...nearest(key, accepted),
        });
      }
      continue;
    }
    problems.push({
      file,
      line: lineOf(doc, lines, path, false),
      key: path.join("."),
      message: issue.message,
    });
  }
  return problems;
}

function nearest(key: string, accepted: string[]): { suggestion?: string } {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of accepted) {
    const d = distance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(key.length / 3))
    ? { suggestion: best }
    : {};
}

/** The line (1-based) of the value at `path` in YAML text, for problems found after loading. */
export function lineOfValue(text: string, path: string[]): number | null {
  const lines = new LineCounter();
  return lineOf(parseDocument(text, { lineCounter: lines }), lines, path, false);
}

/** Line (1-based) of the node at `path`, or of its key when `atKey`; the nearest existing parent otherwise. */
function lineOf(doc: Document, lines: LineCounter, path: string[], atKey: boolean): number | null {
  let node: unknown = doc.contents;
  let offset: number | undefined = rangeStart(node);
  for (const [i, part] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => String((item.key as { value?: unknown })?.value ?? item.key) === part,
      );
      if (!pair) break;
      const last = i === path.length - 1;
      offset = rangeStart(last && atKey ? pair.key : (pair.value ?? pair.key)) ?? offset;
      node = pair.value;
    } else if (isSeq(node)) {
      node = node.items[Number(part)];
      offset = rangeStart(node) ?? offset;
    } else break;
  }
  return offset === undefined ? null : lines.linePos(offset).line;
}

function rangeStart(node: unknown): number | undefined {
  return (node as YamlNode | undefined)?.range?.[0];
}

/** The keys a strict object accepts at `path` in the schema (for "accepted keys" hints). */
export function keysAt(schema: z.ZodType, path: string[]): string[] {
  let current: unknown = schema;
  for (const part of path) {
    current = unwrap(current);
    const def = (current as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
    if (!def) return [];
    if (def.type === "object") current = (def.shape as Record<string, unknown>)[part];
    else if (def.type === "array") current = def.element;
    else if (def.type === "record") current = def.valueType;
    else return [];
  }
  const def = (unwrap(current) as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
  return def?.type === "object" ? Object.keys(def.shape as object) : [];
}

function unwrap(schema: unknown): unknown {
  let current = schema;
  for (;;) {
    const def = (current as { _zod?: { def?: Record<string, unknown> } })?._zod?.def;
    if (!def) return current;
    if (
      def.type === "optional" ||
      def.type === "default" ||
      def.type === "nullable" ||
      def.type === "prefault"
    ) {
      current = def.innerType;
    } else if (def.type === "pipe") {
      current = def.in;
    } else return current;
  }
}

/**
 * Parse YAML text and validate it against `schema`, every problem located to its line: the one
 * path for kb.config.yaml and the eval sets. `fail` turns the problems into the caller's error.
 * Returns the data and `locate`, which places later (cross-field) issues the same way.
 */
export function parseLocatedYaml<S extends z.ZodType>(
  text: string,
  file: string,
  schema: S,
  fail: (problems: ConfigProblem[]) => Error,
  empty: unknown = {},
): { data: z.output<S>; locate: (issues: z.core.$ZodIssue[]) => ConfigProblem[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw fail(
      doc.errors.map((e) => ({
        file,
        line: lines.linePos(e.pos[0]).line,
        key: "",
        message: `is not valid YAML: ${e.message.split("\n")[0]}`,
      })),
    );
  }
  const locate = (issues: z.core.$ZodIssue[]) => problemsFromIssues(issues, doc, lines, file, schema);
  const parsed = schema.safeParse(doc.toJS() ?? empty);
  if (!parsed.success) throw fail(locate(parsed.error.issues));
  return { data: parsed.data, locate };
}
