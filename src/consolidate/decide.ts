import type { FactEvidence } from "./evidence.js";
import { type Conflict, conflictOf, type LiveFact, liveFact } from "./match.js";

/**
 * Which side of a conflict is current, decided in code from evidence kb holds, in this order:
 * 1. an effective date in the text ("From 2027-01-01 …", "… until 2027-01-31"): it wins over when
 *    the fact was said — the old value holds until the date and is replaced on it;
 * 2. a change: the commit that last wrote one side took the other side's value out of that line
 *    ("Staff get 30% off" → "40%"), and the other side was last written before that commit;
 * 3. the newer statement: one side was certainly said after the other (log entry times, commits;
 *    a line unchanged since the repository's first commit was written some time before it).
 * Anything else is not kb's to decide: a person settles it. Pure.
 */
export type Decision =
  | { kind: "supersede"; winner: LiveFact; loser: LiveFact; rule: Rule; why: string }
  | { kind: "scheduled"; current: LiveFact; next: LiveFact; on: string; why: string }
  | { kind: "undecided"; why: string };

export type Rule = "effective-date" | "changed" | "newer" | "settled";

export function decide(c: Conflict, ev: (f: LiveFact) => FactEvidence, today: string): Decision {
  const dated = byEffectiveDate(c, today);
  if (dated) return dated;
  for (const [x, y, yValue] of [
    [c.a, c.b, c.bValue.norm],
    [c.b, c.a, c.aValue.norm],
  ] as const) {
    const change = ev(x).change;
    const hi = ev(y).stated.hi;
    if (!change || hi === null || hi > change.at) continue;
    const before = change.removed.find((r) => replacedBy(r, x, yValue));
    if (before)
      return {
        kind: "supersede",
        winner: x,
        loser: y,
        rule: "changed",
        why: `commit ${change.commit.slice(0, 7)} by ${change.author} on ${day(change.at)} changed “${before}” to “${x.statement.text}” in ${x.path}; ${y.path}:${y.line} still gave the old value`,
      };
  }
  const ea = ev(c.a).stated;
  const eb = ev(c.b).stated;
  if (c.onlyByChange)
    return {
      kind: "undecided",
      why: `the ${c.attribute} may say which day each applies to, and no commit changed one into the other`,
    };
  const newer = (x: typeof ea, y: typeof eb) => x.lo !== null && y.hi !== null && x.lo > y.hi;
  if (newer(ea, eb)) return newerWins(c.a, c.b, ea.what, eb.what);
  if (newer(eb, ea)) return newerWins(c.b, c.a, eb.what, ea.what);
  return {
    kind: "undecided",
    why: `no evidence says which is current: ${c.a.path}:${c.a.line} ${ea.what}; ${c.b.path}:${c.b.line} ${eb.what}`,
  };
}

function newerWins(winner: LiveFact, loser: LiveFact, wWhat: string, lWhat: string): Decision {
  return {
    kind: "supersede",
    winner,
    loser,
    rule: "newer",
    why: `“${winner.statement.text}” (${winner.path}) is newer: ${wWhat}; “${loser.statement.text}” (${loser.path}): ${lWhat}`,
  };
}

function byEffectiveDate(c: Conflict, today: string): Decision | null {
  const fa = c.a.statement.effective;
  const fb = c.b.statement.effective;
  if (fa.from || fb.from) {
    // The later start date is the newer rule; a fact without one has held until then.
    const [next, current] = (fa.from ?? "") >= (fb.from ?? "") ? [c.a, c.b] : [c.b, c.a];
    const on = next.statement.effective.from!;
    if (on <= today)
      return {
        kind: "supersede",
        winner: next,
        loser: current,
        rule: "effective-date",
        why: `“${next.statement.text}” (${next.path}) took effect on ${on}`,
      };
    return { kind: "scheduled", current, next, on, why: `“${next.statement.text}” takes effect on ${on}` };
  }
  if (fa.until || fb.until) {
    const [ending, other] = fa.until ? [c.a, c.b] : [c.b, c.a];
    const until = ending.statement.effective.until!;
    if (until < today)
      return {
        kind: "supersede",
        winner: other,
        loser: ending,
        rule: "effective-date",
        why: `“${ending.statement.text}” (${ending.path}) held until ${until}`,
      };
    return {
      kind: "scheduled",
      current: ending,
      next: other,
      on: nextDay(until),
      why: `“${ending.statement.text}” holds until ${until}`,
    };
  }
  return null;
}

/** Whether a removed line was the previous version of `x`: the same statement with `oldValue`. */
function replacedBy(removed: string, x: LiveFact, oldValue: string): boolean {
  // Another place than `x`: it is the line's earlier version, not a neighbour in one list.
  const before = liveFact({
    path: `@before/${x.path}`,
    line: x.line,
    raw: removed,
    section: x.section,
    pinned: false,
  });
  const c = conflictOf(before, x);
  return c !== null && c.aValue.norm === oldValue;
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** What one run will change: each superseded fact once, with the current fact that replaces it. */
export interface Resolution {
  loser: LiveFact;
  winner: LiveFact;
  rule: Rule;
  why: string;
  /** The value the loser gives, and the winner's, as spans of their texts. */
  loserValue: { start: number; end: number };
  winnerValue: { start: number; end: number };
  /** The rewrite's wording when the model gave it (see rewrite-model.ts); else kb substitutes the value. */
  worded?: string;
}

/**
 * From pairwise decisions to changes: a fact that loses to any side is superseded by the current
 * one — following winners that themselves lost (€50 → €55 → €60 gives €60) — and a pinned fact is
 * never changed automatically (its pair goes to a person instead).
 */
export function resolve(decided: { conflict: Conflict; decision: Decision }[]): {
  changes: Resolution[];
  heldBack: { conflict: Conflict; why: string }[];
} {
  const lostTo = new Map<
    LiveFact,
    { conflict: Conflict; decision: Extract<Decision, { kind: "supersede" }> }[]
  >();
  for (const d of decided) {
    if (d.decision.kind !== "supersede") continue;
    const list = lostTo.get(d.decision.loser) ?? [];
    list.push({ conflict: d.conflict, decision: d.decision });
    lostTo.set(d.decision.loser, list);
  }
  const top = (f: LiveFact, depth = 0): LiveFact => {
    const lost = lostTo.get(f);
    if (!lost || depth > 8) return f;
    return top(lost[0]!.decision.winner, depth + 1);
  };
  const changes: Resolution[] = [];
  const heldBack: { conflict: Conflict; why: string }[] = [];
  for (const [loser, lost] of lostTo) {
    const direct = lost.find((l) => !lostTo.has(l.decision.winner)) ?? lost[0]!;
    const winner = top(direct.decision.winner);
    if (loser.pinned) {
      heldBack.push({ conflict: direct.conflict, why: `${loser.path} is pinned; ${direct.decision.why}` });
      continue;
    }
    const pair = winner === direct.decision.winner ? direct.conflict : null;
    const spans = pair ?? conflictOf(loser, winner);
    if (!spans) {
      heldBack.push({
        conflict: direct.conflict,
        why: `${direct.decision.why}; the current value is in a fact worded too differently to carry over`,
      });
      continue;
    }
    const loserIsA = spans.a === loser;
    changes.push({
      loser,
      winner,
      rule: direct.decision.rule,
      why: direct.decision.why,
      loserValue: loserIsA ? spans.aValue : spans.bValue,
      winnerValue: loserIsA ? spans.bValue : spans.aValue,
    });
  }
  return { changes, heldBack };
}
