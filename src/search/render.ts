import { count } from "../runtime/plural.js";
import type { SearchHit, SearchResult } from "./search.js";

/** The freshness note of a hit: "current, review due 2027-01-30", "EXPIRED since 2026-09-01", … */
export function freshness(hit: Pick<SearchHit, "state" | "due">): string {
  const due = hit.due ?? "no date";
  switch (hit.state) {
    case "current":
      return hit.due ? `current, review due ${hit.due}` : "current";
    case "due soon":
      return `due soon: review due ${due}`;
    case "expired":
      return `EXPIRED: review was due ${due}`;
    default:
      return "NEEDS REVIEW";
  }
}

/** One hit as people and agents read it: the fact, then where it lives and how fresh it is. */
export function renderHit(hit: SearchHit, n: number): string[] {
  const where = [`${hit.file}:${hit.line}`, hit.section, hit.owner ?? "no owner", freshness(hit)].filter(
    Boolean,
  );
  const lines = [`${n}. ${hit.text}`, `   ${where.join(" · ")}`];
  if (hit.reason) lines.push(`   ${hit.reason}`);
  if (hit.contested) lines.push(`   ${hit.contested}`);
  return lines;
}

export function renderSearch(result: SearchResult): string {
  if (result.note) return `kb search: ${result.note}`;
  const warning = result.warning ? [`warning: ${result.warning}`] : [];
  if (result.hits.length === 0)
    return [...warning, `no facts match ${JSON.stringify(result.query)}`].join("\n");
  const stale = result.hits.filter((h) => h.state === "expired" || h.state === "needs review").length;
  const lines = [...warning, ...result.hits.flatMap((h, i) => renderHit(h, i + 1))];
  if (result.expanded.length > 0 || result.problems.length > 0) lines.push("");
  if (stale > 0)
    lines.push(
      "",
      stale === 1
        ? "1 of these facts comes from a file past its review date or marked for review (EXPIRED, NEEDS REVIEW above): check it before relying on it."
        : `${stale} of these facts come from files past their review date or marked for review (EXPIRED, NEEDS REVIEW above): check them before relying on them.`,
    );
  for (const e of result.expanded)
    lines.push(
      `also searched for ${e.added.map((a) => JSON.stringify(a)).join(", ")}: ${e.from} gives them for ${JSON.stringify(e.term)}`,
    );
  for (const p of result.problems) lines.push(`vocabulary not used: ${p}`);
  if (result.index.unreadable > 0)
    lines.push(
      `${count(result.index.unreadable, "brain file")} could not be read and ${result.index.unreadable === 1 ? "was" : "were"} not searched (kb scan says why).`,
    );
  return lines.join("\n");
}
