import { differentSubjects, subjectIdentifiers } from "../dedup/identifiers.js";
import { type RoleClaim, roleClaims } from "./roles.js";
import { readStatement, type Statement } from "./statement.js";
import type { Value } from "./values.js";

/** A live fact as consolidation reads it. */
export interface LiveFact {
  path: string;
  line: number;
  /** The fact's text as written (kb comments included). */
  raw: string;
  section: string;
  pinned: boolean;
  statement: Statement;
  roles: RoleClaim[];
}

/** Two facts that give one subject and attribute different values. */
export interface Conflict {
  a: LiveFact;
  b: LiveFact;
  /** The attribute in words, for people: "money", "ceo". */
  attribute: string;
  /** The value each side gives, and where it stands in its text. */
  aValue: Span;
  bValue: Span;
}

export interface Span {
  norm: string;
  start: number;
  end: number;
}

export function liveFact(f: Omit<LiveFact, "statement" | "roles">): LiveFact {
  const statement = readStatement(f.raw);
  return { ...f, statement, roles: roleClaims(statement.text) };
}

const NEGATION = /\b(?:no|not|never|none|without|cannot|can't|isn't|aren't|don't|doesn't|won't)\b/i;

/**
 * Whether two facts state one subject and attribute with different values, and which. The rule is
 * narrow on purpose — surface similarity never makes a contradiction (see docs/consolidation.md):
 * - a role one person holds, given to two people ("Lars Berg, the CEO" / "Ingrid Dahl is the CEO"); or
 * - exactly one value differs (one value type, one value on each side), every other value agrees,
 *   the other words say the same thing (most words shared, at most one word of rewording on each
 *   side), the subject's words before the verb agree, and the value that differs is not the subject:
 *   it follows the verb, or stands before a copula that names a definite thing ("SS26 is our latest
 *   collection"). "Love Me Do was performed by …" / "Love You To was performed by …" differ in
 *   their subject, so they never meet.
 */
export function conflictOf(a: LiveFact, b: LiveFact): Conflict | null {
  const role = roleConflict(a, b);
  if (role) return role;
  const sa = a.statement;
  const sb = b.statement;
  if (NEGATION.test(sa.text) !== NEGATION.test(sb.text)) return null;
  const diff = singleValueDiff(sa, sb);
  if (!diff) return null;
  const [va, vb] = diff;
  // Codes that name what a fact is about ("SKU 1001") make other subjects; the value that
  // differs is not one of them, and a weekday is judged below.
  const ids = (s: Statement, v: Value) =>
    subjectIdentifiers(s.text).filter((id) => !id.startsWith("day ") && !id.endsWith(v.norm));
  if (differentSubjects(ids(sa, va), ids(sb, vb))) return null;
  // Per-day lines of one list ("opens at 10:00 on Mondays" / "… on Saturdays") are a schedule, not copies.
  if (va.type === "weekday" && a.path === b.path && a.section === b.section) return null;
  if (!sameFrame(sa, sb, va.type === "name" || va.type === "code")) return null;
  if (!isValueSlot(sa, va) || !isValueSlot(sb, vb)) return null;
  return { a, b, attribute: va.type, aValue: va, bValue: vb };
}

function roleConflict(a: LiveFact, b: LiveFact): Conflict | null {
  for (const ra of a.roles) {
    const rb = b.roles.find((r) => r.role === ra.role);
    if (rb && rb.person !== ra.person)
      return {
        a,
        b,
        attribute: ra.role,
        aValue: { norm: ra.person, start: ra.start, end: ra.end },
        bValue: { norm: rb.person, start: rb.start, end: rb.end },
      };
  }
  return null;
}

/**
 * The one value of one type that differs, when everything else agrees — or one side adds names
 * after its verb as detail ("… at 07:00 to every Finch Club member"), the other side adding none.
 */
function singleValueDiff(a: Statement, b: Statement): [Value, Value] | null {
  const types = new Set([...a.values, ...b.values].map((v) => v.type));
  let found: [Value, Value] | null = null;
  const extras: { side: "a" | "b"; values: Value[] }[] = [];
  for (const type of types) {
    const xa = a.values.filter((v) => v.type === type);
    const xb = b.values.filter((v) => v.type === type);
    const onlyA = without(xa, xb);
    const onlyB = without(xb, xa);
    if (onlyA.length === 0 && onlyB.length === 0) continue;
    if (onlyA.length === 1 && onlyB.length === 1 && !found) found = [onlyA[0]!, onlyB[0]!];
    else if (onlyA.length === 0 || onlyB.length === 0)
      extras.push({ side: onlyA.length > 0 ? "a" : "b", values: [...onlyA, ...onlyB] });
    else return null;
  }
  if (!found) return null;
  if (extras.length === 0) return found;
  const side = extras[0]!.side;
  const s = side === "a" ? a : b;
  const detail = (v: Value) =>
    v.type === "name" && s.verb !== -1 && s.valueWord[s.values.indexOf(v)]! > s.verb;
  return extras.every((e) => e.side === side && e.values.every(detail)) ? found : null;
}

/** The values of `a` that `b` lacks, as multisets. */
function without(a: Value[], b: Value[]): Value[] {
  const pool = b.map((v) => v.norm);
  return a.filter((v) => {
    const i = pool.findIndex((p) => sameValue(v, p));
    if (i === -1) return true;
    pool.splice(i, 1);
    return false;
  });
}

function sameFrame(a: Statement, b: Statement, strict: boolean): boolean {
  const fa = new Set(a.frame);
  const fb = new Set(b.frame);
  if (fa.size === 0 || fb.size === 0) return fa.size === fb.size && strict;
  const shared = [...fa].filter((t) => fb.has(t)).length;
  const onlyA = fa.size - shared;
  const onlyB = fb.size - shared;
  if (strict && onlyA > 0 && onlyB > 0) return false;
  if (onlyA > 1 && onlyB > 1) return false;
  if (onlyA > 0 && onlyB > 0 && (onlyA > 1 || onlyB > 1)) return false;
  if (shared / Math.min(fa.size, fb.size) < 0.75) return false;
  if (shared / (fa.size + fb.size - shared) < 0.4) return false;
  const subjectA = new Set(a.subject);
  const subjectB = new Set(b.subject);
  if (a.verb !== -1 && b.verb !== -1)
    return subjectA.size === subjectB.size && [...subjectA].every((t) => subjectB.has(t));
  if (a.verb !== -1) return [...subjectA].every((t) => fb.has(t));
  if (b.verb !== -1) return [...subjectB].every((t) => fa.has(t));
  return true;
}

/** The differing value is what the fact says about its subject, not the subject itself. */
function isValueSlot(s: Statement, v: Value): boolean {
  if (s.verb === -1) return v.type !== "name" && v.type !== "code";
  const word = s.valueWord[s.values.indexOf(v)] ?? 0;
  if (word > s.verb) return true;
  return s.definite && s.subject.length === 0;
}

/** Equal values; names also when one is a word form of the other ("Europe" / "European"). */
function sameValue(v: Value, other: string): boolean {
  if (v.norm === other) return true;
  if (v.type !== "name") return false;
  const [short, long] = v.norm.length <= other.length ? [v.norm, other] : [other, v.norm];
  return short.length >= 4 && long.startsWith(short) && long.length - short.length <= 3;
}

/** Blocking keys: two facts that may conflict share at least one, so cost grows with the tree, not its square. */
export function blockingKeys(f: LiveFact): string[] {
  const s = f.statement;
  const keys = f.roles.map((r) => `role ${r.role}`);
  const frame = [...new Set(s.frame)].sort().join(" ");
  const values = s.values.map((v) => `${v.type}:${v.norm}`);
  values.forEach((_, i) => {
    const rest = values.filter((_, k) => k !== i).sort();
    keys.push(`frame ${frame} | ${rest.join(" ")}`);
    keys.push(`values ${s.values[i]!.type} | ${rest.join(" ")}`);
  });
  for (const t of new Set(s.frame))
    for (const v of new Set(s.values.map((x) => x.type))) keys.push(`word ${t} ${v}`);
  return keys;
}

/** Groups larger than this are too common to tell facts apart (e.g. "word staff money"). */
const GROUP_CAP = { frame: 5000, other: 200 };

/** Every conflicting pair among `facts`, each once. */
export function findConflicts(facts: LiveFact[]): Conflict[] {
  const groups = new Map<string, number[]>();
  facts.forEach((f, i) => {
    for (const key of blockingKeys(f)) {
      const g = groups.get(key);
      if (g) g.push(i);
      else groups.set(key, [i]);
    }
  });
  const seen = new Set<number>();
  const out: Conflict[] = [];
  for (const [key, ids] of groups) {
    if (ids.length < 2) continue;
    const cap = key.startsWith("frame ") || key.startsWith("role ") ? GROUP_CAP.frame : GROUP_CAP.other;
    if (ids.length > cap) continue;
    for (let x = 0; x < ids.length; x++) {
      for (let y = x + 1; y < ids.length; y++) {
        const i = ids[x]!;
        const j = ids[y]!;
        const id = i * facts.length + j;
        if (seen.has(id)) continue;
        seen.add(id);
        const c = conflictOf(facts[i]!, facts[j]!);
        if (c) out.push(c);
      }
    }
  }
  return out;
}
