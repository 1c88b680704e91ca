import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, isAbsolute, join, relative, resolve, sep } from "node:path";
import { z } from "zod";
import { type ConfigProblem, formatProblem, parseLocatedYaml } from "../config/issues.js";
import { sourceKinds } from "../config/sections/mine.js";
import { UsageError } from "../errors.js";
import type { SourceKind } from "../mine/types.js";

/**
 * A labelled set for `kb eval mine`: a folder of session logs plus `expected.yaml`, which lists for
 * each log the facts a careful person would extract (text and target brain path) and the items
 * that must never be extracted (secrets, chit-chat, a value that was later corrected).
 */
export const EXPECTED_FILE = "expected.yaml";

/** Similarity a produced fact needs to count as an expected one, unless the set says otherwise. */
export const DEFAULT_THRESHOLD = 0.55;

const pathsSchema = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);
const textsSchema = z.union([z.string().min(1), z.array(z.string().min(1))]);

const factSchema = z.strictObject({
  /** The fact as a careful person would write it into the brain. */
  text: z.string().min(1),
  /** Other acceptable wordings; the best-scoring one counts. */
  alt: textsSchema.optional(),
  /** The brain file it belongs in; a list when more than one is right. */
  path: pathsSchema,
});

const mustNotSchema = z
  .strictObject({
    /** A statement that must not become a fact (matched like an expected fact). */
    text: z.string().min(1).optional(),
    /** Substrings (any case) that no produced fact may contain: a password, a customer's name. */
    contains: textsSchema.optional(),
    /** Why, for the report: secret, chit-chat, corrected, transient, personal data… */
    why: z.string().optional(),
  })
  .refine((v) => v.text !== undefined || v.contains !== undefined, {
    message: "needs text or contains",
  });

const logSchema = z.strictObject({
  /** The log file, relative to the set folder. */
  file: z.string().min(1),
  kind: z.enum(sourceKinds),
  /** The agent whose log it is (named in the prompt, as `kb mine` does). */
  agent: z.string().min(1),
  /** What this log tests, for people reading the set. */
  note: z.string().optional(),
  facts: z.array(factSchema).default([]),
  mustNot: z.array(mustNotSchema).default([]),
});

const setSchema = z.strictObject({
  name: z.string().optional(),
  /** Minimum similarity (0..1, dedup's score) for a produced fact to count as an expected one. */
  threshold: z.number().min(0.3).max(1).default(DEFAULT_THRESHOLD),
  logs: z.array(logSchema).min(1),
});

export interface ExpectedFact {
  /** The wordings that count: `text` first, then `alt`. */
  texts: string[];
  paths: string[];
}

export interface MustNotItem {
  text?: string;
  contains: string[];
  why: string;
}

export interface EvalLog {
  /** As written in expected.yaml (relative to the set folder, with `/`). */
  file: string;
  abs: string;
  kind: SourceKind;
  agent: string;
  note?: string;
  facts: ExpectedFact[];
  mustNot: MustNotItem[];
}

export interface EvalSet {
  dir: string;
  name: string;
  threshold: number;
  logs: EvalLog[];
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : [v].flat());

/** Read and check a set folder; every problem names expected.yaml, the line and the key. */
export function loadEvalSet(dir: string): EvalSet {
  const root = resolve(dir);
  const file = join(root, EXPECTED_FILE);
  if (!existsSync(root) || !statSync(root).isDirectory())
    throw new UsageError("EVAL_SET_MISSING", `--set ${dir}: no such folder`);
  if (!existsSync(file))
    throw new UsageError(
      "EVAL_SET_MISSING",
      `--set ${dir}: no ${EXPECTED_FILE} in it (see evals/README.md for the format)`,
    );
  const { data, locate } = parseSet(readFileSync(file, "utf8"), file);
  const issues: z.core.$ZodIssue[] = [];
  const seen = new Set<string>();
  const logs = data.logs.map((log, i): EvalLog => {
    const abs = resolve(root, log.file);
    const rel = relative(root, abs).split(sep).join("/");
    const bad = (message: string) =>
      issues.push({ code: "custom", path: ["logs", i, "file"], message, input: log.file });
    if (isAbsolute(log.file) || rel.startsWith("..")) bad("is outside the set folder");
    else if (!existsSync(abs) || !statSync(abs).isFile()) bad(`${log.file} does not exist`);
    else if (seen.has(rel)) bad(`${log.file} is listed twice`);
    seen.add(rel);
    return {
      file: rel,
      abs,
      kind: log.kind,
      agent: log.agent,
      note: log.note,
      facts: log.facts.map((f) => ({ texts: [f.text, ...list(f.alt)], paths: list(f.path) })),
      mustNot: log.mustNot.map((m) => ({ text: m.text, contains: list(m.contains), why: m.why ?? "" })),
    };
  });
  if (issues.length > 0) throw setError(locate(issues));
  return { dir: root, name: data.name ?? basename(root), threshold: data.threshold, logs };
}

/** Parse and validate expected.yaml text. Pure. */
export function parseEvalSetText(text: string, file: string): z.infer<typeof setSchema> {
  return parseSet(text, file).data;
}

function parseSet(text: string, file: string) {
  return parseLocatedYaml(text, file, setSchema, setError);
}

function setError(problems: ConfigProblem[]): UsageError {
  const head =
    problems.length === 1 ? "invalid labelled set" : `${problems.length} problems in the labelled set`;
  return new UsageError(
    "EVAL_SET_INVALID",
    `${head}:\n${problems.map((p) => `  ${formatProblem(p)}`).join("\n")}`,
  );
}
