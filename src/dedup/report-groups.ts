import { normaliseFact, tokensOf } from "./normalise.js";
import type { PairJson } from "./pair-json.js";

/** Look-alike pairs of one template and one kind of reason, for a report people can read. */
export interface PairGroup {
  /** The kind of reason, e.g. "numbers differ". */
  kind: string;
  /** The shared shape of the first facts, rare words as "…" and numbers as "#". */
  template: string;
  pairs: PairJson[];
}

/** Below this many pairs a section lists every pair; above it, groups. */
export const GROUP_FROM = 20;
/** A word in at least this share of a kind's facts belongs to the template. */
const TEMPLATE_SHARE = 0.3;

/**
 * Group pairs by the kind of their reason and the template of their first fact: the words most of
 * the kind's facts share, with the rest (identifiers, item names, values) masked. A catalog of
 * 3,000 prices that all differ the same way becomes one group, not 3,000 lines.
 */
export function groupPairs(pairs: PairJson[]): PairGroup[] {
  const byKind = new Map<string, PairJson[]>();
  for (const p of pairs) {
    const kind = p.reason.replace(/\s*\(.*$/, "").replace(/;.*$/, "");
    const list = byKind.get(kind);
    if (list) list.push(p);
    else byKind.set(kind, [p]);
  }
  const groups: PairGroup[] = [];
  for (const [kind, list] of byKind) {
    const tokens = list.map((p) => tokensOf(normaliseFact(p.a.text)));
    const df = new Map<string, number>();
    for (const ts of tokens) for (const t of new Set(ts)) df.set(t, (df.get(t) ?? 0) + 1);
    const min = Math.max(2, TEMPLATE_SHARE * list.length);
    const byTemplate = new Map<string, PairJson[]>();
    list.forEach((p, i) => {
      const template = tokens[i]!.map((t) => (/\p{N}/u.test(t) ? "#" : (df.get(t) ?? 0) >= min ? t : "…"))
        .join(" ")
        .replace(/…( …)+/g, "…");
      const group = byTemplate.get(template);
      if (group) group.push(p);
      else byTemplate.set(template, [p]);
    });
    for (const [template, members] of byTemplate) groups.push({ kind, template, pairs: members });
  }
  return groups.sort((a, b) => b.pairs.length - a.pairs.length || a.template.localeCompare(b.template));
}
