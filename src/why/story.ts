import { readReviewMeta } from "../audit/meta.js";
import { type Provenance, readProvenance, stripKbComments } from "../brain/provenance.js";
import type { BrainDoc } from "../brain/types.js";
import { type ChangeRecord, changesFor } from "../consolidate/records.js";
import { normaliseFact } from "../dedup/normalise.js";
import { locateRepo } from "../mine/git-output.js";
import { redact } from "../mine/redact.js";
import { type MinedFact, minedRecordsFor, supersededBy } from "../provenance/records.js";
import { type FactReadSummary, factReadSummary } from "../search/reads.js";
import type { Db } from "../state/db.js";
import type { FoundFact } from "./find.js";
import { type Acceptance, acceptanceOf, blameLine, type CommitInfo } from "./git-history.js";

/** Everything this host knows about one fact: its state database records and git. */
export interface FactStory {
  fact: FoundFact;
  /** Mining records for this text on this host, oldest first, each with what became of its commit. */
  mined: (MinedFact & { acceptance: Acceptance })[];
  /** Facts dedup removed in favour of this one, with their provenance. */
  merged: {
    runId: number;
    at: string | null;
    path: string;
    line: number;
    text: string;
    provenance: Provenance[];
    score: number;
  }[];
  /** What this fact replaced (from its mining records). */
  supersedes: { text: string; archivedTo: string | null; runId: number; at: string }[];
  /** Mined facts that replaced this one. */
  supersededBy: { text: string; path: string; agent: string; runId: number; at: string }[];
  /** Consolidation: this statement superseded (or rewritten) because of a current one, and the evidence. */
  consolidated: ChangeRecord[];
  /** The commit that last changed the fact's line. */
  git: CommitInfo | null;
  /** The file's last review (frontmatter `last_reviewed` / `reviewed_by`, aliases accepted). */
  review: { lastReviewed: string | null; reviewedBy: string | null };
  /** How often agents (and people) retrieved the fact on this host. */
  reads: FactReadSummary;
  /** What the story lacks, in words. */
  notes: string[];
}

export async function factStory(db: Db, brain: string, doc: BrainDoc, fact: FoundFact): Promise<FactStory> {
  const repo = await locateRepo(brain);
  const records = minedRecordsFor(db, fact.text);
  const mined = [];
  for (const r of records) {
    const acceptance = repo
      ? await acceptanceOf(repo.top, r.commit, r.branch)
      : ({ state: "unknown" } as const);
    mined.push({ ...r, quote: redact(r.quote).text, acceptance });
  }
  const file = repo?.prefix ? `${repo.prefix}/${fact.path}` : fact.path;
  const meta = readReviewMeta(doc.frontmatter?.data ?? {});
  const story: FactStory = {
    fact,
    mined,
    merged: dedupMerges(db, fact.text),
    supersedes: records
      .filter((r) => r.op === "supersede" && r.supersedes)
      .map((r) => ({ text: r.supersedes!, archivedTo: r.archivedTo, runId: r.runId, at: r.minedAt })),
    supersededBy: supersededBy(db, fact.text)
      .filter((r) => r.op === "supersede")
      .map((r) => ({ text: r.text, path: r.path, agent: r.agent, runId: r.runId, at: r.minedAt })),
    consolidated: changesFor(db, fact.text),
    git: repo ? await blameLine(repo.top, file, fact.line) : null,
    review: { lastReviewed: meta.lastReviewed, reviewedBy: meta.reviewedBy },
    reads: factReadSummary(db, brain, fact.path, stripKbComments(fact.text)),
    notes: [],
  };
  if (mined.length === 0) {
    story.notes.push(
      fact.provenance.length > 0
        ? "no mining record on this host: it was mined on another host (its state database has the quote) or before kb kept evidence"
        : "no mining record and no provenance: written by hand (or mined on another host before kb kept evidence)",
    );
  }
  if (!repo) story.notes.push("the brain is not in a git repository: no history to show");
  else if (!story.git) story.notes.push("git has no committed version of this line yet");
  return story;
}

interface TombstoneRow {
  run_id: number;
  path: string;
  removed: string;
  started_at: string | null;
}

function dedupMerges(db: Db, text: string): FactStory["merged"] {
  const norm = normaliseFact(text);
  const rows = db
    .prepare(
      `SELECT t.run_id, t.path, t.removed, r.started_at FROM dedup_tombstones t
       LEFT JOIN runs r ON r.id = t.run_id WHERE t.undone_at IS NULL ORDER BY t.run_id, t.seq`,
    )
    .all() as TombstoneRow[];
  const out: FactStory["merged"] = [];
  for (const row of rows) {
    const removed = JSON.parse(row.removed) as {
      line: number;
      text: string;
      keptText: string;
      score: number;
    }[];
    for (const r of removed) {
      if (normaliseFact(r.keptText) !== norm) continue;
      out.push({
        runId: row.run_id,
        at: row.started_at,
        path: row.path,
        line: r.line,
        text: stripKbComments(r.text),
        provenance: readProvenance(r.text),
        score: r.score,
      });
    }
  }
  return out;
}
