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
      message: describeIssue(issue, valueAt(doc, path)),
    });
  }
  return problems;
}

/**
 * A zod issue in the words of the other config errors: what the value is and what would be valid.
 * Messages the schema writes itself (durations, cron, host names) are kept as they are.
 */
export function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  const is = `is ${shown(value)}`;
  switch (issue.code) {
    case "invalid_type":
      return value === undefined
        ? `is missing; expected ${noun(issue.expected)}`
        : `${is}; expected ${noun(issue.expected)}`;
    case "invalid_value":
      return `${is}; expected one of: ${issue.values.map(String).join(", ")}`;
    case "too_small":
    case "too_big": {
      const bound = issue.code === "too_small" ? issue.minimum : issue.maximum;
      const inclusive = issue.inclusive !== false;
      const word =
        issue.code === "too_small"
          ? inclusive
            ? "at least"
            : "more than"
          : inclusive
            ? "at most"
            : "less than";
      const unit = issue.origin === "array" ? " items" : issue.origin === "string" ? " characters" : "";
      if (issue.origin === "string" && issue.code === "too_small" && Number(bound) === 1)
        return `${is}; expected some text`;
      return `${is}; expected ${issue.origin === "array" || issue.origin === "string" ? `${word} ${bound}${unit}` : `a number ${word} ${bound}`}`;
    }
    case "invalid_format":
      if (issue.format === "url") return `${is}; expected a URL such as http://127.0.0.1:11434/v1`;
      return issue.message.startsWith("Invalid") ? `${is}; expected ${issue.format}` : issue.message;
    case "invalid_union": {
      const expected = [
        ...new Set(
          issue.errors.flatMap((list) =>
            list.filter((i) => i.code === "invalid_type").map((i) => noun(i.expected)),
          ),
        ),
      ];
      return expected.length > 0
        ? `${value === undefined ? "is missing" : is}; expected ${expected.join(" or ")}`
        : `${is}; ${issue.message}`;
    }
    default:
      return issue.message;
  }
}

function noun(type: string): string {
  const nouns: Record<string, string> = {
    array: 'a list (one "- item" per line, or [a, b])',
    object: "a mapping of keys to values (key: value lines)",
    string: "text",
    number: "a number",
    int: "a whole number",
    boolean: "true or false",
  };
  return nouns[type] ?? type;
}

function shown(value: unknown): string {
  if (value === undefined) return "missing";
  if (value === null) return "empty";
  if (isSeq(value)) return "a list";
  if (isMap(value)) return "a mapping";
  if (typeof value === "string") return JSON.stringify(value);
  return String(value);
}

function valueAt(doc: Document, path: string[]): unknown {
  return path.length === 0 ? doc.contents : doc.getIn(path);
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
