import { git } from "../runtime/git.js";

/** A commit as `kb why` shows it. */
export interface CommitInfo {
  commit: string;
  author: string;
  email: string;
  at: string;
  subject: string;
}

/** The last commit that changed line `line` of a brain file, or null outside git or for uncommitted lines. */
export async function blameLine(top: string, file: string, line: number): Promise<CommitInfo | null> {
  const res = await git(["-C", top, "blame", "--porcelain", "-L", `${line},${line}`, "HEAD", "--", file], {
    allowFailure: true,
  });
  if (res.exitCode !== 0) return null;
  const lines = res.stdout.split("\n");
  const commit = lines[0]?.split(" ")[0] ?? "";
  if (!/^[0-9a-f]{40}$/.test(commit) || /^0+$/.test(commit)) return null;
  const field = (name: string) => lines.find((l) => l.startsWith(`${name} `))?.slice(name.length + 1) ?? "";
  return {
    commit,
    author: field("author"),
    email: field("author-mail").replace(/^<|>$/g, ""),
    at: new Date(Number(field("author-time")) * 1000).toISOString(),
    subject: field("summary"),
  };
}

export type Acceptance =
  | { state: "applied"; commit: CommitInfo | null }
  | { state: "accepted"; merge: CommitInfo }
  | { state: "open"; branch: string }
  | { state: "rejected"; branch: string }
  | { state: "unknown" };

/**
 * What became of the commit that wrote a mined fact: on the current branch directly (apply mode),
 * merged from its review branch (by whom and when), still on the branch, or rejected.
 */
export async function acceptanceOf(
  top: string,
  commit: string | null,
  branch: string | null,
): Promise<Acceptance> {
  if (!commit) return { state: "unknown" };
  const onHead = await git(["-C", top, "merge-base", "--is-ancestor", commit, "HEAD"], {
    allowFailure: true,
  });
  if (onHead.exitCode === 0) {
    if (!branch) return { state: "applied", commit: await commitInfo(top, commit) };
    const merges = await git(
      ["-C", top, "log", "--ancestry-path", "--merges", "--reverse", `--format=${FORMAT}`, `${commit}..HEAD`],
      { allowFailure: true },
    );
    const first = merges.stdout.split("\n").find((l) => l.trim() !== "");
    return first
      ? { state: "accepted", merge: parse(first) }
      : { state: "applied", commit: await commitInfo(top, commit) };
  }
  if (!branch) return { state: "unknown" };
  const ref = async (name: string) =>
    (await git(["-C", top, "merge-base", "--is-ancestor", commit, name], { allowFailure: true })).exitCode ===
    0;
  if (await ref(`refs/heads/${branch}`)) return { state: "open", branch };
  if (await ref(`refs/kb/rejected/${branch}`)) return { state: "rejected", branch };
  return { state: "unknown" };
}

const FORMAT = "%H%x09%an%x09%ae%x09%aI%x09%s";

async function commitInfo(top: string, commit: string): Promise<CommitInfo | null> {
  const res = await git(["-C", top, "log", "-1", `--format=${FORMAT}`, commit], { allowFailure: true });
  return res.exitCode === 0 && res.stdout.trim() ? parse(res.stdout.trim()) : null;
}

function parse(line: string): CommitInfo {
  const [commit = "", author = "", email = "", at = "", ...subject] = line.split("\t");
  return { commit, author, email, at: new Date(at).toISOString(), subject: subject.join("\t") };
}
