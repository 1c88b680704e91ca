import type { Provenance } from "../brain/provenance.js";
import { timesRead } from "../search/reads.js";
import type { Acceptance, CommitInfo } from "./git-history.js";
import type { FactStory } from "./story.js";

/** A fact's story for people: one block per fact, one line per thing known. Pure. */
export function renderStory(s: FactStory): string {
  const f = s.fact;
  const lines = [`${f.path}:${f.line}  ${f.text}${f.archived ? "  (archived)" : ""}`];
  if (f.provenance.length) lines.push(`  provenance: ${f.provenance.map(showProvenance).join("; ")}`);
  for (const m of s.mined) {
    const entries = m.entries.map((e) => e.entryId).filter(Boolean);
    lines.push(
      `  mined: ${m.op} in run ${m.runId} (${when(m.minedAt)}) by model ${m.model}, from ${m.agent}'s log ${m.sourceFile}`,
      `    source: ${[m.session ? `session ${m.session}` : null, entries.length ? `entry ${entries.join(", ")}` : null, m.entryAt ? when(m.entryAt) : null].filter(Boolean).join(" · ")}`,
      `    quote: "${m.quote}"`,
      `    ${showAcceptance(m.acceptance, m.branch)}`,
    );
  }
  for (const x of s.supersedes)
    lines.push(
      `  supersedes: "${x.text}"${x.archivedTo ? ` (archived to ${x.archivedTo})` : ""}, run ${x.runId}`,
    );
  for (const x of s.supersededBy)
    lines.push(`  superseded by: "${x.text}" in ${x.path} (${x.agent}, run ${x.runId}, ${when(x.at)})`);
  for (const x of s.consolidated) {
    const what =
      x.rewritten && x.rewritten !== x.old
        ? `rewritten from "${x.old}" to "${x.rewritten}"`
        : `superseded "${x.old}"`;
    const where =
      x.mode === "review"
        ? `proposed on ${x.branch ?? "a review branch"}`
        : `applied${x.commit ? ` in ${x.commit.slice(0, 7)}` : ""}`;
    lines.push(
      `  consolidated: ${what} in ${x.path} (run ${x.runId}, ${when(x.at)}, ${where})`,
      `    current: "${x.currentText}" (${x.currentPath})`,
      `    evidence (${x.rule}): ${x.why}`,
    );
  }
  for (const x of s.merged) {
    const prov = x.provenance.length ? `; provenance ${x.provenance.map(showProvenance).join("; ")}` : "";
    lines.push(
      `  merged by dedup run ${x.runId}${x.at ? ` (${when(x.at)})` : ""}: "${x.text}" from ${x.path}:${x.line} (score ${x.score}${prov})`,
    );
  }
  lines.push(`  git: ${s.git ? `last changed by ${showCommit(s.git)}` : "nothing committed"}`);
  lines.push(
    `  file last reviewed: ${s.review.lastReviewed ? `${s.review.lastReviewed}${s.review.reviewedBy ? ` by ${s.review.reviewedBy}` : ""}` : "never (no last_reviewed)"}`,
  );
  const r = s.reads;
  lines.push(
    `  read: ${r.reads === 0 ? "never on this host (kb search, kb mcp, OpenClaw memory tools)" : `${timesRead(r.reads)}, last ${when(r.last!)} (${r.callers.join(", ")})`}`,
  );
  for (const n of s.notes) lines.push(`  note: ${n}`);
  return lines.join("\n");
}

function showProvenance(p: Provenance): string {
  return p.ref ? `${p.agent} ${p.date} ${p.ref}` : `${p.agent} ${p.date}`;
}

function showAcceptance(a: Acceptance, branch: string | null): string {
  switch (a.state) {
    case "applied":
      return `applied directly${a.commit ? ` in ${showCommit(a.commit)}` : ""}`;
    case "accepted":
      return `review branch ${branch}, accepted by ${a.merge.author} <${a.merge.email}> ${when(a.merge.at)} (${a.merge.commit.slice(0, 10)})`;
    case "open":
      return `review branch ${a.branch}: not accepted yet`;
    case "rejected":
      return `review branch ${a.branch}: rejected`;
    default:
      return branch ? `review branch ${branch}: its commit is no longer in this repository` : "not committed";
  }
}

function showCommit(c: CommitInfo): string {
  return `${c.commit.slice(0, 10)} ${c.author} <${c.email}> ${when(c.at)} "${c.subject}"`;
}

function when(iso: string): string {
  return `${iso.slice(0, 16).replace("T", " ")}Z`;
}
