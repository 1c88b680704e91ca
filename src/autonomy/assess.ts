import { stripKbComments } from "../brain/provenance.js";
import type { Repo } from "../mine/git-output.js";
import { git, gitOut } from "../runtime/git.js";
import type { Db } from "../state/db.js";
import { decide, openRows, type ReviewRow } from "./records.js";

/** A person's commit that took out (or rewrote) a change kb applied. */
export interface Reversal {
  row: ReviewRow;
  commit: string;
  author: string;
  subject: string;
}

/** Authors of kb's own commits that may replace what kb applied earlier; `kb sync` commits a person's edits. */
const isKbOwn = (author: string) => author.startsWith("kb ") && author !== "kb sync";

/**
 * Settle proposals on review branches: merged into HEAD (accepted, or edited when the merged file
 * no longer holds kb's text), still open (the branch exists and holds the commit), or rejected
 * (`kb reject`, or the branch deleted or its pull request closed without merging).
 */
export async function assessProposals(db: Db, repo: Repo, at: string): Promise<number> {
  let decided = 0;
  // Many facts share a commit: ask git once per commit, and once per file at the merge.
  const memo = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, f: () => Promise<T>) => {
    if (!memo.has(key)) memo.set(key, f());
    return memo.get(key) as Promise<T>;
  };
  for (const row of openRows(db, "pending")) {
    if (!row.branch) continue;
    const sha = row.commit_sha;
    if (await once(`merged ${sha}`, () => isAncestor(repo, sha, "HEAD"))) {
      const merge = await once(`merge ${sha}`, () => mergeOf(repo, sha));
      const text = await once(`file ${merge} ${row.path}`, () => fileAt(repo, merge, row.path));
      const held = holds(text, row);
      decide(
        db,
        row,
        held ? "accepted" : "edited",
        at,
        merge,
        held ? null : "the merged text differs from kb's",
      );
    } else if (
      await once(`open ${sha} ${row.branch}`, () => isAncestor(repo, sha, `refs/heads/${row.branch}`))
    ) {
      continue;
    } else {
      const branch = row.branch;
      const kept = await once(`rejected ${branch}`, () =>
        ok(repo, ["rev-parse", "--verify", "-q", `refs/kb/rejected/${branch}`]),
      );
      decide(
        db,
        row,
        "rejected",
        at,
        null,
        kept ? "dropped: kb reject, or deleted on the hub" : "branch deleted without merging",
      );
    }
    decided++;
  }
  return decided;
}

/** The merge that brought `sha` into HEAD (HEAD itself after a fast-forward). */
async function mergeOf(repo: Repo, sha: string): Promise<string> {
  const merges = await gitOut([
    "-C",
    repo.top,
    "rev-list",
    "--ancestry-path",
    "--merges",
    "--reverse",
    `${sha}..HEAD`,
  ]);
  return merges.split("\n").find(Boolean) ?? (await gitOut(["-C", repo.top, "rev-parse", "HEAD"]));
}

/**
 * Check the changes kb applied directly against HEAD: one whose file no longer holds it was
 * reverted or rewritten. The commit that did it decides: kb's own (a later supersede) replaced it;
 * anyone else's — a `git revert`, a hand edit arriving through `kb sync` — is a reversal. Only
 * files some commit touched since the last check are read.
 */
export async function findReversals(db: Db, repo: Repo, at: string): Promise<Reversal[]> {
  const head = (
    await git(["-C", repo.top, "rev-parse", "-q", "--verify", "HEAD"], { allowFailure: true })
  ).stdout.trim();
  if (!head) return [];
  const last = (
    db.prepare("SELECT head FROM autonomy_checked WHERE id = 1").get() as { head: string } | undefined
  )?.head;
  if (last === head) return [];
  const changed = last ? await changedSince(repo, last) : null;
  const out: Reversal[] = [];
  const heads = new Map<string, string | null>();
  for (const row of openRows(db, "kept")) {
    if (changed && !changed.has(full(repo, row.path))) continue;
    if (!heads.has(row.path)) heads.set(row.path, await fileAt(repo, head, row.path));
    if (holds(heads.get(row.path)!, row)) continue;
    if (!(await isAncestor(repo, row.commit_sha, head))) continue;
    const log = (
      await gitOut([
        "-C",
        repo.top,
        "log",
        "--no-merges",
        "--reverse",
        "--format=%H%x1f%an%x1f%s",
        `${row.commit_sha}..${head}`,
        "--",
        full(repo, row.path),
      ])
    )
      .split("\n")
      .filter(Boolean)
      .map((l) => l.split("\x1f") as [string, string, string]);
    let culprit = log.at(-1);
    for (const c of log) {
      if (!holds(await fileAt(repo, c[0], row.path), row)) {
        culprit = c;
        break;
      }
    }
    if (!culprit) continue;
    const [commit, author, subject] = culprit;
    if (isKbOwn(author) || removedByDedup(db, row)) {
      decide(db, row, "replaced", at, commit, `${author}: ${subject}`);
      continue;
    }
    decide(db, row, "reverted", at, commit, `${author}: ${subject}`);
    out.push({ row, commit, author, subject });
  }
  db.prepare(
    "INSERT INTO autonomy_checked (id, head) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET head = excluded.head",
  ).run(head);
  return out;
}

/**
 * Dedup on this host writes the working tree and `kb sync` commits it: a fact its tombstones name
 * as removed from this file left by kb's hand, not a person's.
 */
function removedByDedup(db: Db, row: ReviewRow): boolean {
  if (row.present === null) return false;
  const rows = db
    .prepare("SELECT removed FROM dedup_tombstones WHERE path = ? AND undone_at IS NULL")
    .all(row.path) as { removed: string }[];
  return rows.some((r) =>
    (JSON.parse(r.removed) as { text: string }[]).some((x) =>
      stripKbComments(x.text).includes(row.present!.trim()),
    ),
  );
}

/** Does the file still say what kb's change made it say? */
export function holds(text: string | null, row: Pick<ReviewRow, "present" | "absent">): boolean {
  const facts = new Set(
    (text ?? "")
      .split("\n")
      .map((l) => /^\s*[-*+]\s+(?:\[[ xX]\]\s+)?(.*)$/.exec(l)?.[1])
      .filter((f): f is string => f !== undefined)
      .map((f) => stripKbComments(f)),
  );
  if (row.present !== null && !facts.has(row.present.trim())) return false;
  if (row.absent !== null && facts.has(row.absent.trim())) return false;
  return text !== null || row.present === null;
}

const full = (repo: Repo, path: string) => (repo.prefix ? `${repo.prefix}/${path}` : path);

async function fileAt(repo: Repo, commit: string, path: string): Promise<string | null> {
  const res = await git(["-C", repo.top, "show", `${commit}:${full(repo, path)}`], { allowFailure: true });
  return res.exitCode === 0 ? res.stdout : null;
}

/** Every file a commit since `last` touched (not the net diff: a change and its revert cancel out there). */
async function changedSince(repo: Repo, last: string): Promise<Set<string> | null> {
  const res = await git(
    ["-C", repo.top, "log", "--format=", "--name-only", "--no-renames", `${last}..HEAD`],
    {
      allowFailure: true,
    },
  );
  return res.exitCode === 0 ? new Set(res.stdout.split("\n").filter(Boolean)) : null;
}

async function isAncestor(repo: Repo, commit: string, of: string): Promise<boolean> {
  return ok(repo, ["merge-base", "--is-ancestor", commit, of]);
}

async function ok(repo: Repo, args: string[]): Promise<boolean> {
  return (await git(["-C", repo.top, ...args], { allowFailure: true })).exitCode === 0;
}
