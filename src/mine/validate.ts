import { posix } from "node:path";
import picomatch from "picomatch";
import { z } from "zod";
import { ARCHIVE_DIR } from "../brain/scan.js";
import { type Evidence, groundFact } from "./grounding.js";
import type { NearFact } from "./nearest.js";
import type { CleanEntry } from "./preprocess.js";
import { redact } from "./redact.js";

/**
 * The reply contract: `{"ops": [{"op":"add",path,section,text,evidence} | {"op":"supersede",id,text,evidence} | {"op":"noop"}]}`.
 * `evidence` is optional here so a reply without it gets the repair round rather than failing the schema.
 */
const evidence = z.string().nullish();
const opSchema = z.discriminatedUnion("op", [
  z.object({
    op: z.literal("add"),
    path: z.string(),
    section: z.string().optional(),
    text: z.string(),
    evidence,
  }),
  z.object({ op: z.literal("supersede"), id: z.number().int(), text: z.string(), evidence }),
  z.object({ op: z.literal("noop") }).passthrough(),
]);
export const replySchema = z.object({ ops: z.array(opSchema) });
export type ReplyOp = z.infer<typeof opSchema>;

export type ParsedReply = { ok: true; ops: ReplyOp[] } | { ok: false; problem: string };

/** Parse the model's reply text. Pure. */
export function parseReply(content: string): ParsedReply {
  const trimmed = content
    .trim()
    .replace(/^```(?:json)?\s*/i, "")
    .replace(/\s*```$/, "");
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch (error) {
    return { ok: false, problem: `not JSON (${(error as Error).message.slice(0, 120)})` };
  }
  const parsed = replySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return {
      ok: false,
      problem: `does not match the schema at ${issue.path.join(".") || "(root)"}: ${issue.message}`,
    };
  }
  return { ok: true, ops: parsed.data.ops };
}

export interface Rejection {
  reason: string;
  detail: string;
}

/** An operation that passed every rule but the grounding check. */
export type CheckedOp =
  | { op: "add"; path: string; section: string; text: string }
  | { op: "supersede"; target: NearFact; text: string };

/** An operation kb will apply: checked, and grounded in the log excerpt it came from. */
export type ValidOp = CheckedOp & { evidence: Evidence };

/** Add and supersede operations that carry no evidence at all (they get the repair round). */
export function withoutEvidence(ops: ReplyOp[]): number {
  return ops.filter((op) => op.op !== "noop" && !(op.evidence ?? "").trim()).length;
}

export const MAX_FACT_CHARS = 300;

/** Check one proposed fact's text; returns the cleaned text or a rejection. */
export function checkFactText(raw: string): { text: string } | Rejection {
  const text = raw
    .trim()
    .replace(/^(?:[-*+]|\d{1,9}[.)])\s+/, "")
    .trim();
  const shown = redact(text).text.slice(0, 160);
  if (text === "") return { reason: "TEXT_EMPTY", detail: "empty fact" };
  if (/[\r\n]/.test(text)) return { reason: "TEXT_MULTILINE", detail: shown };
  if (/^#{1,6}(\s|$)/.test(text)) return { reason: "TEXT_HEADING", detail: shown };
  if (/<!--|-->|<\/?[a-z][^>]*>|<![a-z]/i.test(text)) return { reason: "TEXT_HTML", detail: shown };
  if (text.length > MAX_FACT_CHARS) return { reason: "TEXT_TOO_LONG", detail: `${text.length} characters` };
  const secrets = Object.keys(redact(text).counts);
  if (secrets.length > 0)
    return {
      reason: "TEXT_SECRET",
      detail: `looks like it holds a secret (${secrets.join(", ")}): ${shown}`,
    };
  return { text };
}

/** Check a proposed brain path: relative, inside the brain, `.md`, not in `_archive/`, allowed by `mine.allowedPaths`. */
export function checkPath(raw: string, allowedGlobs: string[]): { path: string } | Rejection {
  const detail = raw.slice(0, 200);
  if (raw.includes("\\") || raw.includes("\0")) return { reason: "PATH_OUTSIDE", detail };
  if (posix.isAbsolute(raw) || /^[a-z]:/i.test(raw)) return { reason: "PATH_OUTSIDE", detail };
  const path = posix.normalize(raw.replace(/^\.\/+/, ""));
  if (path === ".." || path.startsWith("../") || path.split("/").includes(".."))
    return { reason: "PATH_OUTSIDE", detail };
  if (!path.toLowerCase().endsWith(".md")) return { reason: "PATH_NOT_MARKDOWN", detail };
  if (path === ARCHIVE_DIR || path.startsWith(`${ARCHIVE_DIR}/`)) return { reason: "PATH_ARCHIVE", detail };
  if (path.split("/").some((seg) => seg.startsWith("."))) return { reason: "PATH_HIDDEN", detail };
  if (!picomatch(allowedGlobs)(path))
    return { reason: "PATH_NOT_ALLOWED", detail: `${path} is outside mine.allowedPaths` };
  return { path };
}

/**
 * Validate every op of a reply against the brain's rules; LLM output is untrusted. Ops that pass
 * every rule but the grounding check against `entries` (the chunk sent) are rejected as
 * `UNGROUNDED` and also returned in `ungrounded`, so `kb eval` can score the run without the check.
 */
export function validateOps(ops: ReplyOp[], near: NearFact[], allowedGlobs: string[], entries: CleanEntry[]) {
  const valid: ValidOp[] = [];
  const rejected: Rejection[] = [];
  const ungrounded: CheckedOp[] = [];
  let noops = 0;
  const ground = (op: CheckedOp, quote: string | undefined) => {
    const g = groundFact(op.text, quote, entries, op.op === "supersede" ? op.target.text : undefined);
    if (g.ok) valid.push({ ...op, evidence: g.evidence });
    else {
      rejected.push({ reason: "UNGROUNDED", detail: g.detail });
      ungrounded.push(op);
    }
  };
  for (const op of ops) {
    if (op.op === "noop") {
      noops++;
      continue;
    }
    const text = checkFactText(op.text);
    if ("reason" in text) {
      rejected.push(text);
      continue;
    }
    if (op.op === "add") {
      const path = checkPath(op.path, allowedGlobs);
      if ("reason" in path) {
        rejected.push(path);
        continue;
      }
      const section = (op.section ?? "").trim().replace(/^#+\s*/, "") || "Notes";
      if (/[\r\n<>]/.test(section) || section.length > 120) {
        rejected.push({ reason: "SECTION_INVALID", detail: redact(section).text.slice(0, 120) });
        continue;
      }
      ground({ op: "add", path: path.path, section, text: text.text }, op.evidence ?? undefined);
      continue;
    }
    const target = near.find((f) => f.id === op.id);
    if (!target) {
      rejected.push({
        reason: "ID_OUT_OF_RANGE",
        detail: `id ${op.id}; the prompt listed ids 1..${near.length}`,
      });
      continue;
    }
    const path = checkPath(target.path, allowedGlobs);
    if ("reason" in path) {
      rejected.push(path);
      continue;
    }
    ground({ op: "supersede", target, text: text.text }, op.evidence ?? undefined);
  }
  return { valid, rejected, noops, ungrounded };
}
