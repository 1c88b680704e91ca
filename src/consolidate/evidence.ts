import { statSync } from "node:fs";
import { join } from "node:path";
import { readProvenance } from "../brain/provenance.js";
import { normaliseFact } from "../dedup/normalise.js";
import { locateRepo, type Repo } from "../mine/git-output.js";
import { git } from "../runtime/git.js";
import type { Db } from "../state/db.js";
import type { LiveFact } from "./match.js";

/**
 * When a fact was stated, as far as kb can show it. `lo`/`hi` bound the moment in epoch ms: a
 * fact mined from a log was said at its log entry's time; a line a person changed was changed in
 * its commit; a line that has stood since the repository's first commit was written at some time
 * before that commit (no lower bound). `what` says where the time comes from, for `kb why`.
 */
export interface Stated {
  lo: number | null;
  hi: number | null;
  what: string;
}

/** A commit that changed a line of this fact's file, and the list items it took out. */
export interface Change {
  commit: string;
  at: number;
  author: string;
  removed: string[];
}

export interface FactEvidence {
  stated: Stated;
  /** The commit that last wrote the fact's line, when it was not the repository's first. */
  change: Change | null;
}

interface BlameLine {
  sha: string;
  at: number;
  author: string;
  boundary: boolean;
}

const UNCOMMITTED = /^0{40}$/;
const DAY = 86_400_000;
/** Commits kb makes for mined facts: the time that counts is the log entry's, not the commit's. */
const KB_MINING_AUTHORS = new Set(["kb mine", "kb consolidate"]);

/** Reads evidence for facts of one brain, caching `git blame` per file and `git show` per commit. */
export async function evidenceReader(brain: string, db: Db | null) {
  const repo = await locateRepo(brain);
  const blames = new Map<string, Map<number, BlameLine>>();
  const changes = new Map<string, string[]>();
  const entryAt = db
    ?.prepare("SELECT entry_at FROM mine_facts WHERE norm = ? ORDER BY id DESC LIMIT 1")
    .pluck();

  const blameOf = async (path: string) => {
    let found = blames.get(path);
    if (!found) {
      found = repo ? await blame(repo, path) : new Map();
      blames.set(path, found);
    }
    return found;
  };
  const removedIn = async (sha: string, path: string) => {
    const key = `${sha} ${path}`;
    let found = changes.get(key);
    if (!found) {
      found = repo ? await removedLines(repo, sha, path) : [];
      changes.set(key, found);
    }
    return found;
  };

  return async function evidenceOf(f: LiveFact): Promise<FactEvidence> {
    const line = (await blameOf(f.path)).get(f.line);
    const mined = minedAt(f, entryAt?.get(normaliseFact(f.raw)) as string | undefined);
    if (!line)
      return {
        stated: mined ?? { lo: null, hi: null, what: "no history (the brain is not in git)" },
        change: null,
      };
    if (UNCOMMITTED.test(line.sha)) {
      const at = statSync(join(brain, f.path)).mtimeMs;
      return { stated: { lo: at, hi: at, what: "edited on this host, not yet committed" }, change: null };
    }
    if (line.boundary) {
      const stated = mined ?? {
        lo: null,
        hi: line.at,
        what: `unchanged since ${short(line.sha)}, the repository's first commit`,
      };
      return { stated, change: null };
    }
    const change = {
      commit: line.sha,
      at: line.at,
      author: line.author,
      removed: await removedIn(line.sha, f.path),
    };
    // A fact kb mined was said at its log entry's time, whenever kb committed it.
    if (mined && KB_MINING_AUTHORS.has(line.author)) return { stated: mined, change };
    return {
      stated: { lo: line.at, hi: line.at, what: `written in commit ${short(line.sha)} by ${line.author}` },
      change,
    };
  };
}

export type EvidenceOf = Awaited<ReturnType<typeof evidenceReader>>;

/** A mined fact's time: its log entry's (from this host's records), else the day of its newest provenance entry. */
function minedAt(f: LiveFact, entry: string | undefined): Stated | null {
  if (entry && !Number.isNaN(Date.parse(entry))) {
    const at = Date.parse(entry);
    return { lo: at, hi: at, what: `said in a log entry at ${entry}` };
  }
  const day = readProvenance(f.raw)
    .map((p) => p.date)
    .sort()
    .at(-1);
  if (!day) return null;
  const lo = Date.parse(`${day}T00:00:00Z`);
  return { lo, hi: lo + DAY - 1, what: `mined from ${readProvenance(f.raw).at(-1)!.agent}'s log of ${day}` };
}

async function blame(repo: Repo, path: string): Promise<Map<number, BlameLine>> {
  const file = repo.prefix ? `${repo.prefix}/${path}` : path;
  const res = await git(["-C", repo.top, "blame", "--porcelain", "--", file], { allowFailure: true });
  const out = new Map<number, BlameLine>();
  if (res.exitCode !== 0) return out;
  const commits = new Map<string, BlameLine>();
  let current: BlameLine | null = null;
  let finalLine = 0;
  for (const row of res.stdout.split("\n")) {
    const head = /^([0-9a-f]{40}) \d+ (\d+)/.exec(row);
    if (head) {
      const sha = head[1]!;
      finalLine = Number(head[2]);
      current = commits.get(sha) ?? { sha, at: 0, author: "", boundary: false };
      commits.set(sha, current);
      continue;
    }
    if (!current) continue;
    if (row.startsWith("author ")) current.author = row.slice(7);
    else if (row.startsWith("author-time ")) current.at = Number(row.slice(12)) * 1000;
    else if (row === "boundary") current.boundary = true;
    else if (row.startsWith("\t")) out.set(finalLine, current);
  }
  return out;
}

/** The list items a commit removed from a file (its "-" lines), without their markers. */
async function removedLines(repo: Repo, sha: string, path: string): Promise<string[]> {
  const file = repo.prefix ? `${repo.prefix}/${path}` : path;
  const res = await git(["-C", repo.top, "show", "--format=", "--unified=0", "--no-color", sha, "--", file], {
    allowFailure: true,
  });
  if (res.exitCode !== 0) return [];
  return res.stdout
    .split("\n")
    .filter((l) => l.startsWith("-") && !l.startsWith("---"))
    .map((l) => /^-\s*(?:[-*+]|\d+[.)])\s+(.*)$/.exec(l)?.[1] ?? "")
    .filter((t) => t !== "");
}

export function short(sha: string): string {
  return sha.slice(0, 7);
}
