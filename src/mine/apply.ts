import { existsSync, readFileSync } from "node:fs";
import { posix } from "node:path";
import { addFact, renderNewDoc, replaceFact, type Splice } from "../brain/edit.js";
import { setField } from "../brain/frontmatter-edit.js";
import { parseBrainText, sectionOf } from "../brain/parse.js";
import { resolveBrainPath } from "../brain/paths.js";
import {
  entryRef,
  type Provenance,
  readProvenance,
  stripKbComments,
  withProvenance,
} from "../brain/provenance.js";
import { ARCHIVE_DIR } from "../brain/scan.js";
import type { BrainDoc } from "../brain/types.js";
import { createBrainFile, editBrainFile } from "../brain/write.js";
import { checkDuplicate } from "../dedup/check.js";
import { errorMessage } from "../errors.js";
import type { Evidence } from "./grounding.js";
import type { NearFact } from "./nearest.js";
import type { Rejection, ValidOp } from "./validate.js";

/** What one applied operation did, for `--json`, the report and the commit message. */
export interface AppliedOp {
  op: "add" | "supersede" | "enrich" | "duplicate";
  path: string;
  text: string;
  /** The fact it replaced (supersede, enrich) or duplicates (duplicate). */
  supersedes?: string;
  /** Where the replaced fact was archived. */
  archivedTo?: string;
  /** e.g. "looks like it contradicts: …" */
  note?: string;
  /** The quote the fact was grounded in and the log entries it comes from. */
  evidence?: Evidence;
  /** The agent whose log it came from. */
  agent?: string;
}

export interface ApplyContext {
  brain: string;
  agent: string;
  /** Date of the log the facts come from (provenance). */
  logDate: string;
  /** Today (the `updated:` field and the archive section). */
  today: string;
  near: NearFact[];
  dryRun?: boolean;
}

/**
 * Apply validated operations to the brain folder `ctx.brain` with minimal-diff edits. ADDs pass
 * the dedup duplicate check first: a duplicate becomes a no-op, a more informative version replaces
 * the fact it extends. SUPERSEDE replaces the fact and archives the old one. Nothing is deleted.
 */
export async function applyOps(
  ops: ValidOp[],
  ctx: ApplyContext,
): Promise<{ applied: AppliedOp[]; rejected: Rejection[] }> {
  const applied: AppliedOp[] = [];
  const rejected: Rejection[] = [];
  for (const op of ops) {
    try {
      const source = sourceOf(op.evidence, ctx);
      const done =
        op.op === "add"
          ? await applyAdd(op, ctx, source)
          : await applySupersede(op.target.path, op.target.text, op.text, ctx, "supersede", source);
      applied.push(done.op === "duplicate" ? done : { ...done, evidence: op.evidence, agent: ctx.agent });
    } catch (error) {
      rejected.push({ reason: "APPLY_FAILED", detail: errorMessage(error).slice(0, 300) });
    }
  }
  return { applied, rejected };
}

/** The compact provenance entry for a fact grounded in `evidence`: agent, log date, `session/entry`. */
function sourceOf(evidence: Evidence, ctx: ApplyContext): Provenance {
  const first = evidence.entries[0];
  const ref = entryRef(first?.session, first?.entryId);
  return ref ? { agent: ctx.agent, date: ctx.logDate, ref } : { agent: ctx.agent, date: ctx.logDate };
}

async function applyAdd(
  op: Extract<ValidOp, { op: "add" }>,
  ctx: ApplyContext,
  source: Provenance,
): Promise<AppliedOp> {
  const doc = readDoc(ctx.brain, op.path);
  const own = (doc?.doc.facts ?? []).map((f) => ({ path: op.path, text: stripKbComments(f.text) }));
  const candidates = [
    ...own,
    ...ctx.near.filter((f) => f.path !== op.path).map((f) => ({ path: f.path, text: f.text })),
  ];
  const verdict = checkDuplicate(
    op.text,
    candidates.map((c) => c.text),
  );
  if (verdict.kind === "duplicate") {
    const match = candidates[verdict.match]!;
    return { op: "duplicate", path: match.path, text: op.text, supersedes: match.text };
  }
  if (verdict.kind === "superset") {
    const match = candidates[verdict.match]!;
    const done = await applySupersede(match.path, match.text, op.text, ctx, "enrich", source);
    return { ...done, archivedTo: undefined };
  }
  const note =
    verdict.kind === "contradiction"
      ? `may contradict "${candidates[verdict.match]!.text}" (${candidates[verdict.match]!.path}): ${verdict.reason}`
      : undefined;
  const fact = withProvenance(op.text, [source]);
  if (!doc) {
    await createBrainFile(ctx.brain, op.path, newDocText(op.path, op.section, fact, ctx.today), {
      dryRun: ctx.dryRun,
    });
  } else {
    await editBrainFile(
      ctx.brain,
      op.path,
      (text, d) => [addFact(text, d, bestSection(d, op.section), fact), updated(text, ctx.today)],
      { dryRun: ctx.dryRun },
    );
  }
  return { op: "add", path: op.path, text: op.text, note };
}

/** Replace the fact whose text (without kb comments) is `oldText`; archive the old one unless it is an enrichment. */
async function applySupersede(
  path: string,
  oldText: string,
  newText: string,
  ctx: ApplyContext,
  kind: "supersede" | "enrich",
  source: Provenance,
): Promise<AppliedOp> {
  let oldRaw = "";
  await editBrainFile(
    ctx.brain,
    path,
    (text, doc) => {
      const fact = doc.facts.find((f) => stripKbComments(f.text) === oldText);
      if (!fact)
        throw new Error(`${path}: the fact to replace is no longer there: "${oldText.slice(0, 80)}"`);
      oldRaw = text.slice(fact.start, fact.end);
      const kept = kind === "enrich" ? readProvenance(fact.text) : [];
      const fresh = withProvenance(newText, [...kept, source]);
      return [replaceFact(fact, fresh), updated(text, ctx.today)];
    },
    { dryRun: ctx.dryRun },
  );
  if (kind === "enrich") return { op: "enrich", path, text: newText, supersedes: oldText };
  const archive = posix.join(ARCHIVE_DIR, path);
  const section = `Superseded ${ctx.today}`;
  if (readDoc(ctx.brain, archive)) {
    await editBrainFile(ctx.brain, archive, (text, d) => [addFact(text, d, section, oldRaw)], {
      dryRun: ctx.dryRun,
    });
  } else {
    const body = newDocText(path, section, oldRaw, ctx.today, true);
    await createBrainFile(ctx.brain, archive, body, { dryRun: ctx.dryRun });
  }
  return { op: "supersede", path, text: newText, supersedes: oldText, archivedTo: archive };
}

/**
 * When several headings share the name (a "# Returns" title over a "## Returns" section), name the
 * one holding the most facts by its full path so the fact joins the existing list.
 */
export function bestSection(doc: BrainDoc, section: string): string {
  const want = section.trim().toLowerCase();
  const matches = doc.headings
    .map((h, i) => ({ h, i }))
    .filter(({ h }) => h.text.trim().toLowerCase() === want);
  if (matches.length < 2) return section;
  const facts = (i: number) => doc.facts.filter((f) => f.heading === i).length;
  const best = matches.reduce((a, b) => (facts(b.i) > facts(a.i) ? b : a));
  return sectionOf(doc, best.i);
}

function updated(text: string, today: string): Splice {
  return setField(text, "updated", today);
}

function readDoc(brain: string, path: string): { doc: BrainDoc; text: string } | null {
  const abs = resolveBrainPath(brain, path);
  if (!existsSync(abs)) return null;
  const parsed = parseBrainText(path, readFileSync(abs, "utf8"), { size: 0, mtimeMs: 0, hash: "" });
  if (!parsed.ok) throw new Error(`${path}: ${parsed.error.message}; kb will not write to it`);
  return parsed;
}

function newDocText(path: string, section: string, fact: string, today: string, archive = false): string {
  const name = posix.basename(path, ".md").replace(/[-_]+/g, " ");
  const title = archive ? `Archive: ${path}` : name.charAt(0).toUpperCase() + name.slice(1);
  const fm = archive ? `status: archived\nupdated: ${today}` : `updated: ${today}\nstatus: needs-review`;
  return renderNewDoc({ frontmatter: fm, title, section, fact });
}
