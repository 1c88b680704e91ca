import { existsSync } from "node:fs";
import { posix } from "node:path";
import { addFact, removeFact, replaceFact, type Splice } from "../brain/edit.js";
import { setField } from "../brain/frontmatter-edit.js";
import { parseBrainText } from "../brain/parse.js";
import { resolveBrainPath } from "../brain/paths.js";
import { readProvenance, stripKbComments, withProvenance } from "../brain/provenance.js";
import { ARCHIVE_DIR } from "../brain/scan.js";
import { hashText } from "../brain/text.js";
import type { BrainDoc, Fact } from "../brain/types.js";
import { createBrainFile, editBrainFile } from "../brain/write.js";
import { recordTombstone, reverseSplices } from "../dedup/tombstones.js";
import { errorMessage } from "../errors.js";
import type { Db } from "../state/db.js";
import type { Resolution } from "./decide.js";

/** What one change did, for the report, the review description, `kb why` and `--json`. */
export interface Applied {
  path: string;
  line: number;
  /** The superseded statement, as agents read it. */
  old: string;
  /** What stands in its place: the rewritten fact, or null when it was archived. */
  rewritten: string | null;
  current: { path: string; text: string };
  rule: Resolution["rule"];
  why: string;
  archivedTo: string;
}

export interface ApplyOptions {
  brain: string;
  today: string;
  runId: number;
  /** Where tombstones go for `kb undo` (apply mode on the live brain only). */
  db?: Db;
  dryRun?: boolean;
}

/**
 * Apply the changes to the brain folder `options.brain`, one edit per file: a superseded fact that
 * says no more than the current one goes to `_archive/<path>` under "Superseded <date>" with a
 * pointer to what replaced it; one that says more is rewritten with the current value and its old
 * text archived the same way. Minimal diffs; every written file leaves a tombstone for `kb undo`.
 */
export async function applyChanges(
  changes: Resolution[],
  options: ApplyOptions,
): Promise<{ applied: Applied[]; skipped: { path: string; reason: string }[] }> {
  const byPath = new Map<string, Resolution[]>();
  for (const c of changes) byPath.set(c.loser.path, [...(byPath.get(c.loser.path) ?? []), c]);
  const applied: Applied[] = [];
  const skipped: { path: string; reason: string }[] = [];
  let seq = 0;
  const tombstone = (path: string, before: string, after: string, forward: Splice[], removed: Applied[]) => {
    if (!options.db || options.dryRun) return;
    const { undo, owner } = reverseSplices(before, after, forward);
    recordTombstone(options.db, {
      runId: options.runId,
      seq: seq++,
      brain: options.brain,
      path,
      hashBefore: hashText(before),
      hashAfter: hashText(after),
      undo,
      removed: removed.map((a, k) => ({
        line: a.line,
        text: a.old,
        keptPath: a.current.path,
        keptText: a.current.text,
        score: 1,
        undo: owner[k],
      })),
    });
  };
  for (const [path, list] of byPath) {
    try {
      const done: Applied[] = [];
      const archived: string[] = [];
      let forward: Splice[] = [];
      const edit = await editBrainFile(
        options.brain,
        path,
        (text, doc) => {
          forward = list.map((c) => {
            const fact = locate(doc, c);
            const rewritten = rewrite(c);
            done.push({
              path,
              line: c.loser.line,
              old: stripKbComments(c.loser.raw),
              rewritten: rewritten && stripKbComments(rewritten),
              current: { path: c.winner.path, text: stripKbComments(c.winner.raw) },
              rule: c.rule,
              why: c.why,
              archivedTo: posix.join(ARCHIVE_DIR, path),
            });
            archived.push(archivedLine(c));
            return rewritten ? replaceFact(fact, rewritten) : removeFact(fact);
          });
          // The tombstone needs every splice applied, `updated:` included, to place its undo.
          forward.push(setField(text, "updated", options.today));
          return forward;
        },
        { dryRun: options.dryRun },
      );
      tombstone(path, edit.before, edit.after, forward, done);
      await archive(path, archived, options, (before, after, splices) =>
        tombstone(posix.join(ARCHIVE_DIR, path), before, after, splices, []),
      );
      applied.push(...done);
    } catch (error) {
      skipped.push({ path, reason: errorMessage(error) });
    }
  }
  return { applied, skipped };
}

/** The fact as it stands now: same line and text, else the only one with its text. */
function locate(doc: BrainDoc, c: Resolution): Fact {
  const at = doc.facts.find((f) => f.line === c.loser.line && f.text === c.loser.raw);
  const found = at ?? doc.facts.find((f) => f.text === c.loser.raw);
  if (!found) throw new Error(`${doc.path}:${c.loser.line}: the fact changed since the scan; run again`);
  if (found.hasChildren)
    throw new Error(`${doc.path}:${found.line}: the fact has nested items; a person must change it`);
  return found;
}

/**
 * The loser with the current value in place of its own, when it says more than the current fact
 * (other words or values the current fact lacks); null when archiving it loses nothing.
 */
export function rewrite(c: Resolution): string | null {
  const loser = c.loser.statement;
  const winner = c.winner.statement;
  const extraWords = loser.frame.some((t) => !winner.frame.includes(t));
  const extraValues = loser.values.some(
    (v) => v.start !== c.loserValue.start && !winner.values.some((w) => w.norm === v.norm),
  );
  if (!extraWords && !extraValues) return null;
  const value = winner.text.slice(c.winnerValue.start, c.winnerValue.end);
  const text =
    c.worded ?? loser.text.slice(0, c.loserValue.start) + value + loser.text.slice(c.loserValue.end);
  return withProvenance(text, [...readProvenance(c.loser.raw), ...readProvenance(c.winner.raw)]);
}

/** The archived copy: the old text, a pointer to what replaced it, then its provenance. */
function archivedLine(c: Resolution): string {
  const clean = (t: string) => t.replace(/-->|[<>]/g, "").replace(/"/g, "'");
  const pointer = `<!-- kb:superseded-by ${c.winner.path} "${clean(stripKbComments(c.winner.raw))}" -->`;
  const text = stripKbComments(c.loser.raw);
  return withProvenance(`${text} ${pointer}`, readProvenance(c.loser.raw));
}

async function archive(
  path: string,
  lines: string[],
  options: ApplyOptions,
  onEdit: (before: string, after: string, splices: Splice[]) => void,
): Promise<void> {
  const target = posix.join(ARCHIVE_DIR, path);
  if (!existsSync(resolveBrainPath(options.brain, target))) {
    if (options.dryRun) return;
    const header = `---\nstatus: archived\nupdated: ${options.today}\n---\n\n# Archive: ${path}\n`;
    await createBrainFile(options.brain, target, header);
  }
  const section = `Superseded ${options.today}`;
  let splice: Splice = { start: 0, end: 0, text: "" };
  const edit = await editBrainFile(
    options.brain,
    target,
    (text, doc) => {
      let current = text;
      let parsed: Pick<BrainDoc, "headings" | "facts" | "eol"> = doc;
      for (const line of lines) {
        const s = addFact(current, parsed, section, line);
        current = current.slice(0, s.start) + s.text + current.slice(s.end);
        parsed = reparse(current, doc.path);
      }
      splice = minimalSplice(text, current);
      return [splice];
    },
    { dryRun: options.dryRun },
  );
  onEdit(edit.before, edit.after, [splice]);
}

/** The headings and facts of text being built up line by line. */
function reparse(text: string, path: string): Pick<BrainDoc, "headings" | "facts" | "eol"> {
  const parsed = parseBrainText(path, text, { size: 0, mtimeMs: 0, hash: "" });
  if (!parsed.ok) throw new Error(`${path}: ${parsed.error.message}`);
  return parsed.doc;
}

/** One splice turning `before` into `after`: what lies between their common start and end. */
function minimalSplice(before: string, after: string): Splice {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let tail = 0;
  while (
    tail < before.length - start &&
    tail < after.length - start &&
    before[before.length - 1 - tail] === after[after.length - 1 - tail]
  )
    tail++;
  return { start, end: before.length - tail, text: after.slice(start, after.length - tail) };
}
