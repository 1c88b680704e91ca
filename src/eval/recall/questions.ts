import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { z } from "zod";
import { type ConfigProblem, formatProblem, parseLocatedYaml } from "../../config/issues.js";
import { UsageError } from "../../errors.js";

/**
 * A question set for `kb eval recall`: a folder with `questions.yaml`, a list of questions, each
 * with the string a correct retrieved fact contains and, for facts that changed, the strings that
 * would mean an outdated answer.
 */
export const QUESTIONS_FILE = "questions.yaml";

const textsSchema = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

const questionSchema = z.strictObject({
  /** Stable id, for the per-question detail and for comparing runs. */
  id: z.string().min(1),
  /** What an agent would ask, as it would ask it. */
  question: z.string().min(1),
  /** A string (any case) that a correct retrieved fact contains. */
  answer: z.string().min(1),
  /** Strings (any case) that would mean an outdated answer: the old price, the former owner. */
  stale: textsSchema.optional(),
  /** Why the question is in the set, for people reading it. */
  note: z.string().optional(),
});

const setSchema = z.array(questionSchema).min(1);

export interface RecallQuestion {
  id: string;
  question: string;
  answer: string;
  stale: string[];
  note?: string;
}

export interface RecallSet {
  dir: string;
  name: string;
  questions: RecallQuestion[];
}

/** Read and check a set folder; every problem names questions.yaml, the line and the key. */
export function loadRecallSet(dir: string): RecallSet {
  const root = resolve(dir);
  const file = join(root, QUESTIONS_FILE);
  if (!existsSync(root) || !statSync(root).isDirectory())
    throw new UsageError("RECALL_SET_MISSING", `--set ${dir}: no such folder`);
  if (!existsSync(file))
    throw new UsageError(
      "RECALL_SET_MISSING",
      `--set ${dir}: no ${QUESTIONS_FILE} in it (a list of {id, question, answer, stale?}; see evals/README.md)`,
    );
  return {
    dir: root,
    name: basename(root),
    questions: parseRecallQuestions(readFileSync(file, "utf8"), file),
  };
}

/** Parse and validate questions.yaml text. Pure. */
export function parseRecallQuestions(text: string, file: string): RecallQuestion[] {
  const { data, locate } = parseLocatedYaml(text, file, setSchema, setError, null);
  const issues: z.core.$ZodIssue[] = [];
  const seen = new Set<string>();
  data.forEach((q, i) => {
    if (seen.has(q.id))
      issues.push({
        code: "custom",
        path: [i, "id"],
        message: `"${q.id}" is used twice; ids must be unique`,
        input: q.id,
      });
    seen.add(q.id);
  });
  if (issues.length > 0) throw setError(locate(issues));
  return data.map((q) => ({
    id: q.id,
    question: q.question,
    answer: q.answer,
    stale: q.stale === undefined ? [] : [q.stale].flat(),
    note: q.note,
  }));
}

function setError(problems: ConfigProblem[]): UsageError {
  const head =
    problems.length === 1 ? "invalid question set" : `${problems.length} problems in the question set`;
  return new UsageError(
    "RECALL_SET_INVALID",
    `${head}:\n${problems.map((p) => `  ${formatProblem(p)}`).join("\n")}`,
  );
}
