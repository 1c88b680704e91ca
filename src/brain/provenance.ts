/**
 * Compact provenance on mined facts: a trailing HTML comment, invisible when rendered.
 *   - Free EU shipping above €60. <!-- kb: finance 2026-11-20 -->
 *   - Two sources after a dedup merge. <!-- kb: finance 2026-11-20; cs 2026-11-21 -->
 * A fact pinned by hand carries `<!-- kb:pin -->`; dedup never removes it.
 */
export interface Provenance {
  agent: string;
  date: string;
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
    .filter((parts) => parts.length === 2 && /^\d{4}-\d{2}-\d{2}$/.test(parts[1]!))
    .map(([agent, date]) => ({ agent: agent!, date: date! }));
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
  const unique = [...new Map(entries.map((e) => [`${e.agent} ${e.date}`, e])).values()].sort(
    (a, b) => a.date.localeCompare(b.date) || a.agent.localeCompare(b.agent),
  );
  if (unique.length === 0) return base;
  return `${base} <!-- kb: ${unique.map((e) => `${e.agent} ${e.date}`).join("; ")} -->`;
}
