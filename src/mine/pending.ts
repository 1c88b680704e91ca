import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { gitOut } from "../runtime/git.js";
import type { Logger } from "../runtime/log.js";
import type { Db } from "../state/db.js";
import { removeStaleLocks } from "../sync/journal.js";
import { gitProcessAlive } from "../sync/repo.js";
import { commitPaths, type Repo } from "./git-output.js";
import { type Checkpoint, commitCheckpoint } from "./watermarks.js";

/**
 * Exactly-once mining across kill -9. A chunk's facts are written to git (a review-branch commit,
 * an apply-mode commit, or both) and then its watermark moves in SQLite; a kill between the two
 * would re-mine the chunk, and an LLM that words a fact differently the second time would add it
 * twice. So before writing, the chunk is recorded as pending with a marker that also goes into
 * its commits as a `Kb-Mine-Checkpoint:` trailer; the next run settles what it finds:
 *
 * - every part found in git (or, in apply mode, written to the working tree and committed now):
 *   the checkpoint is applied — the chunk is not mined again;
 * - no part written: the pending record is dropped and the chunk is mined again, cleanly;
 * - some parts written, some not (a kill between the two commits of a mixed-mode chunk):
 *   mined again, with a warning that a fact may be proposed twice.
 */
export type Part = "review" | "apply";

export interface Pending {
  marker: string;
  checkpoint: Checkpoint;
  parts: Part[];
  done: Part[];
  applyPaths: string[];
}

export const trailer = (marker: string, part: Part) => `Kb-Mine-Checkpoint: ${marker}/${part}`;

export function withTrailer(message: string, marker: string, part: Part): string {
  return `${message}\n\n${trailer(marker, part)}`;
}

export function savePending(db: Db, p: Omit<Pending, "done">): void {
  db.prepare(
    "INSERT OR REPLACE INTO mine_pending (marker, checkpoint, parts, done, apply_paths) VALUES (?, ?, ?, '[]', ?)",
  ).run(p.marker, JSON.stringify(p.checkpoint), JSON.stringify(p.parts), JSON.stringify(p.applyPaths));
}

export function markDone(db: Db, marker: string, part: Part): void {
  const row = db.prepare("SELECT done FROM mine_pending WHERE marker = ?").get(marker) as
    | { done: string }
    | undefined;
  if (!row) return;
  const done = new Set(JSON.parse(row.done) as Part[]).add(part);
  db.prepare("UPDATE mine_pending SET done = ? WHERE marker = ?").run(JSON.stringify([...done]), marker);
}

/** The chunk is written: move its watermark and forget the pending record, in one transaction. */
export function settle(db: Db, marker: string, checkpoint: Checkpoint): void {
  db.transaction(() => {
    commitCheckpoint(db, checkpoint);
    db.prepare("DELETE FROM mine_pending WHERE marker = ?").run(marker);
  })();
}

export function drop(db: Db, marker: string): void {
  db.prepare("DELETE FROM mine_pending WHERE marker = ?").run(marker);
}

export function listPending(db: Db): Pending[] {
  const rows = db.prepare("SELECT * FROM mine_pending ORDER BY marker").all() as {
    marker: string;
    checkpoint: string;
    parts: string;
    done: string;
    apply_paths: string;
  }[];
  return rows.map((r) => ({
    marker: r.marker,
    checkpoint: JSON.parse(r.checkpoint) as Checkpoint,
    parts: JSON.parse(r.parts) as Part[],
    done: JSON.parse(r.done) as Part[],
    applyPaths: JSON.parse(r.apply_paths) as string[],
  }));
}

/** Settle chunks a killed run left pending (see above). Returns one line per chunk for the log. */
export async function recoverPending(
  db: Db,
  repo: Repo | null,
  host: string,
  log: Logger,
): Promise<string[]> {
  const lines: string[] = [];
  const pending = listPending(db);
  if (pending.length > 0 && repo) {
    const gitDir = resolve(repo.top, await gitOut(["-C", repo.top, "rev-parse", "--git-dir"]));
    lines.push(...removeStaleLocks(gitDir, () => gitProcessAlive(repo.top)));
  }
  for (const p of pending) {
    const done = new Set(p.done);
    for (const part of p.parts) {
      if (done.has(part) || !repo) continue;
      const found = await gitOut([
        "-C",
        repo.top,
        "log",
        "--all",
        "--format=%H",
        "-F",
        `--grep=${trailer(p.marker, part)}`,
      ]);
      if (found) done.add(part);
      else if (part === "apply") {
        const written = p.applyPaths.filter((path) => existsSync(join(repo.top, repo.prefix, path)));
        const sha = await commitPaths(
          repo,
          written,
          withTrailer("kb mine: facts a killed run wrote but had not committed", p.marker, part),
          host,
        ).catch(() => null);
        if (sha) done.add(part);
      }
    }
    const missing = p.parts.filter((part) => !done.has(part));
    if (missing.length === 0) {
      settle(db, p.marker, p.checkpoint);
      lines.push(`chunk ${p.marker} of ${p.checkpoint.file} was written before a kill; marked mined`);
    } else {
      drop(db, p.marker);
      if (missing.length < p.parts.length)
        log.warn("a killed run wrote part of a chunk; it is mined again and a fact may be proposed twice", {
          chunk: p.marker,
          file: p.checkpoint.file,
        });
      lines.push(
        `chunk ${p.marker} of ${p.checkpoint.file} was not written before a kill; it is mined again`,
      );
    }
  }
  return lines;
}
