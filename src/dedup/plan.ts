import { withProvenance } from "../brain/provenance.js";
import { NeedsHumanError } from "../errors.js";
import { DEFAULT_THRESHOLDS, decidePair, profileFact, type Thresholds } from "./decide.js";
import { nameSignature } from "./guards.js";
import { searchPairs } from "./pairs.js";
import { bestOf, type Candidate, candidateOf, type ScopeFact } from "./survivor.js";

export interface Removal {
  fact: ScopeFact;
  kept: ScopeFact;
  score: number;
  reason: string;
}

export interface PairFinding {
  a: ScopeFact;
  b: ScopeFact;
  score: number;
  reason: string;
}

/** What a dedup run will do in one scope: pure data, printed by `--dry-run`, applied by `applyPlan`. */
export interface DedupPlan {
  facts: number;
  removals: Removal[];
  /** Survivors whose text changes: they inherit the removed facts' provenance. */
  replacements: { fact: ScopeFact; text: string }[];
  review: PairFinding[];
  contradictions: PairFinding[];
  /** Look-alike pairs not listed because both facts already had their share (see `PER_FACT_CAP`). */
  omitted: { contradiction: number; review: number; atLeast: boolean };
}

export interface PlanOptions {
  thresholds?: Thresholds;
  /** Force (true) or forbid (false) the LSH index; by default it is used above a few thousand facts. */
  useLsh?: boolean;
}

/**
 * Plan one scope: exact duplicates by normalised key, then near-duplicate candidates from the
 * blocking index, verified pair by pair; clusters of duplicates keep their most informative member
 * and drop only members that are duplicates *of that survivor* (no A~B~C chaining).
 */
export function planDedup(facts: ScopeFact[], options: PlanOptions = {}): DedupPlan {
  const t = options.thresholds ?? DEFAULT_THRESHOLDS;
  const all = facts.map((f) => candidateOf(f, profileFact(f.text)));
  const groups = new Map<string, Candidate[]>();
  for (const c of all) {
    const g = groups.get(c.profile.key);
    if (g) g.push(c);
    else groups.set(c.profile.key, [c]);
  }
  const reps = [...groups.values()];
  const { findings, find, omitted } = searchPairs(
    reps.map((g) => g[0]!.profile),
    (i) => groupSalt(reps[i]!),
    t,
    options.useLsh,
  );

  const clusters = new Map<number, Candidate[]>();
  reps.forEach((g, i) => {
    const root = find(i);
    const cluster = clusters.get(root);
    if (cluster) cluster.push(...g);
    else clusters.set(root, [...g]);
  });
  const removals: Removal[] = [];
  const replacements: DedupPlan["replacements"] = [];
  const keptFor = new Map<ScopeFact, ScopeFact>();
  for (const members of clusters.values()) {
    if (members.length > 1) settleCluster(members, t, removals, replacements, keptFor);
  }

  const review: PairFinding[] = [];
  const contradictions: PairFinding[] = [];
  const reported = new Set<string>();
  for (const { i, j, d } of findings.sort((p, q) => p.i - q.i || p.j - q.j)) {
    if (d.band === "duplicate") continue;
    const a = visible(reps[i]!, keptFor);
    const b = visible(reps[j]!, keptFor);
    const [x, y] = [`${a.path}:${a.line}`, `${b.path}:${b.line}`].sort();
    const id = `${x}|${y}`;
    if (a === b || reported.has(id)) continue;
    reported.add(id);
    (d.band === "contradiction" ? contradictions : review).push({ a, b, score: d.score, reason: d.reason });
  }
  return { facts: facts.length, removals, replacements, review, contradictions, omitted };
}

function settleCluster(
  members: Candidate[],
  t: Thresholds,
  removals: Removal[],
  replacements: DedupPlan["replacements"],
  keptFor: Map<ScopeFact, ScopeFact>,
): void {
  let pool = members;
  while (pool.length > 1) {
    const survivor = bestOf(pool);
    const rest: Candidate[] = [];
    const removed: Candidate[] = [];
    for (const m of pool) {
      if (m === survivor) continue;
      const d = m.profile.key === survivor.profile.key ? null : decidePair(m.profile, survivor.profile, t);
      if (d !== null && d.band !== "duplicate") {
        rest.push(m);
        continue;
      }
      if (m.fact.pinned || m.fact.hasChildren) continue;
      removed.push(m);
      removals.push({
        fact: m.fact,
        kept: survivor.fact,
        score: d?.score ?? 1,
        reason: d?.reason ?? "same text",
      });
      keptFor.set(m.fact, survivor.fact);
    }
    if (removed.length > 0) {
      const merged = withProvenance(survivor.fact.text, [
        ...survivor.provenance,
        ...removed.flatMap((r) => r.provenance),
      ]);
      if (merged !== survivor.fact.text) replacements.push({ fact: survivor.fact, text: merged });
    }
    pool = rest;
  }
}

/**
 * The names of a group of identical facts for the blocking index (from a member that writes them
 * with capitals), so facts about different people or things never meet; 0 when none.
 */
function groupSalt(group: Candidate[]): number {
  for (const c of group) {
    const salt = nameSignature(c.fact.text);
    if (salt !== 0) return salt;
  }
  return 0;
}

/** A fact as reports should show it: its survivor when this run removes it. */
function visible(group: Candidate[], keptFor: Map<ScopeFact, ScopeFact>): ScopeFact {
  const fact = group[0]!.fact;
  return keptFor.get(fact) ?? fact;
}

/** A run that would remove more than `maxShare` of a scope's facts stops before writing anything. */
export function assertRemoveShare(plan: DedupPlan, maxShare: number, scope: string): void {
  if (plan.facts === 0 || plan.removals.length <= maxShare * plan.facts) return;
  const pct = (n: number) => `${Math.round(n * 1000) / 10}%`;
  throw new NeedsHumanError(
    "DEDUP_TOO_MANY",
    `dedup of scope "${scope}" would remove ${plan.removals.length} of ${plan.facts} facts (${pct(plan.removals.length / plan.facts)}), over the limit of ${pct(maxShare)} (config dedup.maxRemoveShare); nothing was changed. Review with \`kb dedup --scope ${scope} --dry-run\`, then raise the limit for one run if the removals are right.`,
  );
}
