import { join } from "node:path";
import { autonomyModeFor, refreshAutonomy } from "../autonomy/refresh.js";
import { scanFromContext } from "../brain/index.js";
import { sectionOf } from "../brain/parse.js";
import { isPinned, stripKbComments } from "../brain/provenance.js";
import type { BrainDoc } from "../brain/types.js";
import { errorMessage } from "../errors.js";
import { createLlmRun, defaultApiKey } from "../llm/setup.js";
import { commitPaths, locateRepo, type Repo, ReviewBranch } from "../mine/git-output.js";
import { writeAtomic } from "../runtime/atomic.js";
import type { Context } from "../runtime/context.js";
import { git } from "../runtime/git.js";
import type { RunHandle } from "../runtime/runner.js";
import { type Applied, applyChanges, rewrite } from "./apply.js";
import { type Decision, decide, type Resolution, resolve } from "./decide.js";
import { evidenceReader, type FactEvidence } from "./evidence.js";
import { type Conflict, findConflicts, type LiveFact, liveFact } from "./match.js";
import {
  type ContestedItem,
  proposals,
  recordChanges,
  recordContested,
  recordScheduled,
  type Side,
} from "./records.js";
import { renderConsolidateReport } from "./report.js";
import { rewordWithModel } from "./rewrite-model.js";

export const AUTHOR = "kb consolidate";

export interface ConsolidateOptions {
  dryRun?: boolean;
  /** `review` or `apply` for every path, overriding `mine.autonomy`. */
  mode?: "review" | "apply";
}

export interface ConsolidateResult {
  runId: number;
  dryRun: boolean;
  facts: number;
  conflicts: number;
  applied: (Applied & { mode: "review" | "apply" })[];
  /** Already proposed on a review branch that is still open. */
  pending: number;
  scheduled: { current: Side; next: Side; on: string }[];
  contested: ContestedItem[];
  branch: string | null;
  commits: string[];
  skipped: { path: string; reason: string }[];
  report: string | null;
}

/** Every live fact of the tree (not `_archive/`), read as statements. */
export function liveFacts(docs: BrainDoc[]): LiveFact[] {
  return docs.flatMap((doc) => {
    const filePinned = doc.frontmatter?.data?.pinned === true;
    return doc.facts.map((f) =>
      liveFact({
        path: doc.path,
        line: f.line,
        raw: f.text,
        section: f.heading >= 0 ? sectionOf(doc, f.heading) : "",
        pinned: filePinned || isPinned(f.text),
      }),
    );
  });
}

/**
 * One consolidation pass over the whole tree: find every pair of live facts that give one subject
 * and attribute different values, decide each from evidence, supersede the older statements (to a
 * review branch or the main branch, per `mine.autonomy`), and put the rest in front of a person.
 */
export async function consolidate(
  ctx: Context,
  run: RunHandle,
  options: ConsolidateOptions,
): Promise<ConsolidateResult> {
  const cfg = ctx.config;
  const today = ctx.clock.today();
  const db = ctx.db();
  const dryRun = options.dryRun ?? false;
  const facts = liveFacts(scanFromContext(ctx).docs);
  const conflicts = findConflicts(facts);
  const evidenceOf = await evidenceReader(cfg.brain, db);
  const evidence = new Map<LiveFact, FactEvidence>();
  for (const f of new Set(conflicts.flatMap((c) => [c.a, c.b]))) evidence.set(f, await evidenceOf(f));
  const decided = conflicts.map((conflict) => ({
    conflict,
    decision: decide(conflict, (f) => evidence.get(f)!, today),
  }));
  const { changes, heldBack } = resolve(decided);
  const repo = await locateRepo(cfg.brain);
  const { fresh, pending, rejected } = await sortOutProposals(ctx, repo, changes);

  const result: ConsolidateResult = {
    runId: run.id,
    dryRun,
    facts: facts.length,
    conflicts: conflicts.length,
    applied: [],
    pending,
    scheduled: scheduledOf(decided),
    contested: [],
    branch: null,
    commits: [],
    skipped: [],
    report: null,
  };
  if (!dryRun) await wordRewrites(ctx, run, fresh);
  if (!options.dryRun) await refreshAutonomy(ctx, run.log);
  const modeFor = autonomyModeFor(ctx, options.mode);
  const toApply = fresh.filter((c) => modeFor(c.loser.path) === "apply");
  const toReview = fresh.filter((c) => modeFor(c.loser.path) === "review");
  await applyHere(ctx, run, repo, toApply, result);
  await proposeOnBranch(ctx, run, repo, toReview, result);

  const superseded = new Set(changes.map((c) => c.loser));
  const forPerson = [
    ...decided
      .filter((d) => d.decision.kind === "undecided")
      .filter((d) => !superseded.has(d.conflict.a) && !superseded.has(d.conflict.b))
      .map((d) => pairFor(d.conflict, (d.decision as Extract<Decision, { kind: "undecided" }>).why)),
    ...heldBack.map((h) => pairFor(h.conflict, h.why)),
    ...rejected,
  ];
  if (!dryRun) {
    result.contested = recordContested(db, cfg.brain, forPerson.map(itemOf), ctx.clock.now().toISOString());
    recordScheduled(db, cfg.brain, result.scheduled);
    recordChanges(
      db,
      result.applied.map((applied) => ({
        runId: run.id,
        brain: cfg.brain,
        applied,
        mode: applied.mode,
        branch: applied.mode === "review" ? result.branch : null,
        commit: result.commits.at(applied.mode === "review" ? -1 : 0) ?? null,
        at: ctx.clock.now().toISOString(),
      })),
    );
  } else {
    result.contested = forPerson.map((p, i) => ({
      id: i + 1,
      ...itemOf(p),
      status: "open" as const,
      firstSeen: today,
      lastSeen: today,
    }));
  }
  const path = join(cfg.reports, `consolidate-${today}${dryRun ? "-dry-run" : ""}.md`);
  await writeAtomic(path, renderConsolidateReport(result, today));
  result.report = path;
  return result;
}

interface ForPerson {
  a: LiveFact;
  b: LiveFact;
  attribute: string;
  why: string;
}

function pairFor(c: Conflict, why: string): ForPerson {
  return { a: c.a, b: c.b, attribute: c.attribute, why };
}

function itemOf(p: ForPerson) {
  const side = (f: LiveFact): Side => ({ path: f.path, line: f.line, text: stripKbComments(f.raw) });
  return { a: side(p.a), b: side(p.b), attribute: p.attribute, why: p.why };
}

function scheduledOf(decided: { decision: Decision }[]): ConsolidateResult["scheduled"] {
  const side = (f: LiveFact): Side => ({ path: f.path, line: f.line, text: stripKbComments(f.raw) });
  return decided.flatMap(({ decision: d }) =>
    d.kind === "scheduled" ? [{ current: side(d.current), next: side(d.next), on: d.on }] : [],
  );
}

/**
 * Changes already proposed on a review branch that is still open are not proposed again; a
 * proposal whose branch is gone while its statement still stands was rejected by a person, so
 * the pair goes to a person rather than to another branch.
 */
async function sortOutProposals(ctx: Context, repo: Repo | null, changes: Resolution[]) {
  const known = proposals(ctx.db(), ctx.config.brain);
  const branches = repo ? await localBranches(repo) : new Set<string>();
  const fresh: Resolution[] = [];
  const rejected: ForPerson[] = [];
  let pending = 0;
  for (const c of changes) {
    const key = `${c.loser.path}\n${stripKbComments(c.loser.raw)}`;
    const seen = known.filter((p) => p.key === key);
    if (seen.some((p) => branches.has(p.branch))) pending++;
    else if (seen.length > 0)
      rejected.push({
        a: c.winner,
        b: c.loser,
        attribute: "value",
        why: `kb proposed replacing it on ${seen.at(-1)!.branch}, which was closed without merging: ${c.why}`,
      });
    else fresh.push(c);
  }
  return { fresh, pending, rejected };
}

async function localBranches(repo: Repo): Promise<Set<string>> {
  const res = await git(["-C", repo.top, "for-each-ref", "--format=%(refname:short)", "refs/heads/kb/"], {
    allowFailure: true,
  });
  return new Set(res.stdout.split("\n").filter(Boolean));
}

async function applyHere(
  ctx: Context,
  run: RunHandle,
  repo: Repo | null,
  changes: Resolution[],
  result: ConsolidateResult,
): Promise<void> {
  if (changes.length === 0) return;
  const cfg = ctx.config;
  const outcome = await applyChanges(changes, {
    brain: cfg.brain,
    today: ctx.clock.today(),
    runId: run.id,
    db: result.dryRun ? undefined : ctx.db(),
    dryRun: result.dryRun,
  });
  result.applied.push(...outcome.applied.map((a) => ({ ...a, mode: "apply" as const })));
  result.skipped.push(...outcome.skipped);
  if (result.dryRun || !repo || outcome.applied.length === 0) return;
  const paths = [...new Set(outcome.applied.flatMap((a) => [a.path, a.archivedTo]))];
  const sha = await commitPaths(repo, paths, commitMessage(outcome.applied), cfg.host, AUTHOR);
  if (sha) result.commits.push(sha);
  run.log.info("consolidate applied", { changes: outcome.applied.length, commit: sha });
}

async function proposeOnBranch(
  ctx: Context,
  run: RunHandle,
  repo: Repo | null,
  changes: Resolution[],
  result: ConsolidateResult,
): Promise<void> {
  if (changes.length === 0) return;
  const cfg = ctx.config;
  if (result.dryRun || !repo) {
    const outcome = await applyChanges(changes, {
      brain: cfg.brain,
      today: ctx.clock.today(),
      runId: run.id,
      dryRun: true,
    });
    result.applied.push(...outcome.applied.map((a) => ({ ...a, mode: "review" as const })));
    if (!repo && !result.dryRun)
      result.skipped.push({
        path: ".",
        reason: "the brain is not in git, so review-mode changes cannot go on a branch",
      });
    return;
  }
  const branch = `kb/consolidate/${ctx.clock.today()}-${cfg.host}`;
  const rb = await ReviewBranch.open(
    repo,
    branch,
    join(cfg.state, `consolidate-worktree-${run.id}`),
    cfg.host,
    AUTHOR,
  );
  try {
    const outcome = await applyChanges(changes, {
      brain: rb.brainDir,
      today: ctx.clock.today(),
      runId: run.id,
    });
    result.applied.push(...outcome.applied.map((a) => ({ ...a, mode: "review" as const })));
    result.skipped.push(...outcome.skipped);
    const sha = outcome.applied.length > 0 ? await rb.commit(commitMessage(outcome.applied)) : null;
    if (sha) {
      result.commits.push(sha);
      result.branch = branch;
    }
  } finally {
    await rb.close();
  }
}

/**
 * With an LLM configured (`llm.baseUrl`, `llm.models`), a statement that says more than its value
 * is worded by the model, checked like a mined supersede; without one, or when the reply does not
 * pass, kb substitutes the current value's words for the old value's.
 */
async function wordRewrites(ctx: Context, run: RunHandle, changes: Resolution[]): Promise<void> {
  const cfg = ctx.config;
  if (!cfg.llm.baseUrl || cfg.llm.models.length === 0) return;
  const pending = changes.filter((c) => rewrite(c) !== null);
  if (pending.length === 0) return;
  let apiKey: string;
  try {
    apiKey = defaultApiKey(cfg);
  } catch (error) {
    run.log.warn("consolidate words its rewrites itself: the LLM's key is not available", {
      reason: errorMessage(error),
    });
    return;
  }
  const deps = { llm: createLlmRun(cfg, run.log), apiKey, log: run.log, signal: ctx.signal };
  for (const c of pending) {
    const fallback = stripKbComments(rewrite(c)!);
    const worded = await rewordWithModel(c, fallback, deps);
    if (worded.by === "model") c.worded = worded.text;
  }
}

function commitMessage(applied: Applied[]): string {
  const lines = applied.map(
    (a) =>
      `- ${a.path}: “${a.old}” ${a.rewritten ? `→ “${a.rewritten}”` : "archived"} (current: ${a.current.path}; ${a.rule})`,
  );
  return `kb consolidate: ${applied.length} superseded statement(s)\n\n${lines.join("\n")}\n`;
}
