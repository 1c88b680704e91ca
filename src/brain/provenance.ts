/**
 * Compact provenance on mined facts: a trailing HTML comment, invisible when rendered. Each entry
 * is the agent, the log's date and, for facts mined with evidence, a short reference to the log
 * entry (session/entry, shortened; the full record is in the mining host's state database):
 *   - Free EU shipping above €60. <!-- kb: finance 2026-11-20 d22d0952/a0000003 -->
 *   - Two sources after a dedup merge. <!-- kb: finance 2026-11-20; cs 2026-11-21 -->
 * The older form without a reference is read as before. A fact pinned by hand carries
 * `<!-- kb:pin -->`; dedup never removes it.
 */
export interface Provenance {
  agent: string;
  date: string;
  /** `session/entry`, shortened, when the fact was mined with evidence. */
  ref?: string;
}

const PROVENANCE = /\s*<!--\s*kb:\s+([^>]*?)\s*-->\s*$/;
const PIN = /<!--\s*kb:pin\s*-->/;
const ANY_KB_COMMENT = /\s*<!--\s*kb:[^>]*-->/g;

/** Parse the provenance entries at the end of a fact's text. */
export function readProvenance(text: string): Provenance[] {
  const match = PROVENANCE.exec(text);
  if (!match) return [];
  return match[1]!
    .split(";")
    .map((part) => part.trim().split(/\s+/))
    .filter((parts) => (parts.length === 2 || parts.length === 3) && /^\d{4}-\d{2}-\d{2}$/.test(parts[1]!))
    .map(([agent, date, ref]) =>
      ref ? { agent: agent!, date: date!, ref } : { agent: agent!, date: date! },
    );
}

/** A short reference to a log entry for the compact comment: `session/entry`, each cut to 8 characters (a line stays whole). */
export function entryRef(session: string | undefined, entryId: string | undefined): string | undefined {
  if (!session && !entryId) return undefined;
  const clean = (v: string, max: number) =>
    v
      .replace(/[^A-Za-z0-9._#:-]/g, "_")
      .replace(/-{2,}/g, "-")
      .slice(0, max);
  const entry = entryId ? clean(entryId, /^L\d+$/.test(entryId) ? 12 : 8) : "";
  const sess = session ? clean(session.replace(/\.(md|txt)$/i, ""), 16) : "";
  return `${sess}/${entry}`;
}

export function isPinned(text: string): boolean {
  return PIN.test(text);
}

/** The fact without kb's comments (what agents and similarity checks should read). */
export function stripKbComments(text: string): string {
  return text.replace(ANY_KB_COMMENT, "").trim();
}

/** The fact with exactly these provenance entries (deduplicated, sorted), replacing any it had. */
export function withProvenance(text: string, entries: Provenance[]): string {
  const base = text.replace(PROVENANCE, "").trimEnd();
  const show = (e: Provenance) => (e.ref ? `${e.agent} ${e.date} ${e.ref}` : `${e.agent} ${e.date}`);
  // An entry without a reference adds nothing next to one for the same agent and day that has one.
  const referenced = new Set(entries.filter((e) => e.ref).map((e) => `${e.agent} ${e.date}`));
  const kept = entries.filter((e) => e.ref || !referenced.has(`${e.agent} ${e.date}`));
  const unique = [...new Map(kept.map((e) => [show(e), e])).values()].sort(
    (a, b) =>
      a.date.localeCompare(b.date) ||
      a.agent.localeCompare(b.agent) ||
      (a.ref ?? "").localeCompare(b.ref ?? ""),
  );
  if (unique.length === 0) return base;
  return `${base} <!-- kb: ${unique.map(show).join("; ")} -->`;
}
