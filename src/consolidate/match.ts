import { differentSubjects, subjectIdentifiers } from "../dedup/identifiers.js";
import { STOPWORDS } from "../dedup/normalise.js";
import { type RoleClaim, roleClaims } from "./roles.js";
import { readStatement, type Statement, stemOf, verbIndex } from "./statement.js";
import type { Value } from "./values.js";

/** A live fact as consolidation reads it; its statement is read on first use (most facts never meet another). */
export interface LiveFact {
  path: string;
  line: number;
  /** The fact's text as written (kb comments included). */
  raw: string;
  section: string;
  pinned: boolean;
  readonly statement: Statement;
  readonly roles: RoleClaim[];
}

class LazyFact implements LiveFact {
  #statement: Statement | undefined;
  #roles: RoleClaim[] | undefined;
  #ids: string[] | undefined;
  constructor(
    readonly path: string,
    readonly line: number,
    readonly raw: string,
    readonly section: string,
    readonly pinned: boolean,
  ) {}
  get statement(): Statement {
    this.#statement ??= readStatement(this.raw);
    return this.#statement;
  }
  get roles(): RoleClaim[] {
    this.#roles ??= ROLE_HINT.test(this.raw) ? roleClaims(this.statement.text) : [];
    return this.#roles;
  }
  get identifiers(): string[] {
    this.#ids ??= subjectIdentifiers(this.statement.text);
    return this.#ids;
  }
}

/** Facts that may name a role holder (see roles.ts); others skip the role patterns. */
const ROLE_HINT = /\b(?:CEO|CFO|CTO|COO|CMO|CIO|CPO|CHRO|CISO|President|Chair\w*|Treasurer|Head|Director)\b/;

/** Two facts that give one subject and attribute different values. */
export interface Conflict {
  a: LiveFact;
  b: LiveFact;
  /** The attribute in words, for people: "money", "ceo". */
  attribute: string;
  /** The value each side gives, and where it stands in its text. */
  aValue: Span;
  bValue: Span;
  /**
   * Only a change of the same line may decide it, not which side is newer: the value that differs
   * may qualify the rest (a weekday beside a time), so the two may both hold.
   */
  onlyByChange?: boolean;
}

export interface Span {
  norm: string;
  start: number;
  end: number;
}

export function liveFact(f: Omit<LiveFact, "statement" | "roles">): LiveFact {
  return new LazyFact(f.path, f.line, f.raw, f.section, f.pinned);
}

function identifiersOf(f: LiveFact): string[] {
  return f instanceof LazyFact ? f.identifiers : subjectIdentifiers(f.statement.text);
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
  if (entitySiblings(a.path, b.path)) return null;
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
  const ids = (f: LiveFact, v: Value) =>
    identifiersOf(f).filter((id) => !id.startsWith("day ") && !id.endsWith(v.norm));
  if (differentSubjects(ids(a, va), ids(b, vb))) return null;
  // A name beside another value qualifies it ("… within 40 days at Riflaba" / "… at Yotutre").
  if (va.type === "name" && sa.values.some((v) => v.type !== "name")) return null;
  // Names brought in by different words are different relations ("created by Shigeru Miyamoto" /
  // "created in the country of United Kingdom").
  if (va.type === "name" && leadOf(sa, va) !== leadOf(sb, vb)) return null;
  // Per-day lines of one list ("opens at 10:00 on Mondays" / "… on Saturdays") are a schedule, not copies.
  if (va.type === "weekday" && a.path === b.path && a.section === b.section) return null;
  if (!sameFrame(sa, sb)) return null;
  if (!isValueSlot(sa, va) || !isValueSlot(sb, vb)) return null;
  // "opens at 10:00 on Mondays" / "… on Saturdays": the weekday may say which day the rest applies
  // to. Within one agent's folder such lines are a schedule; across agents' folders, copies.
  const qualifier = va.type === "weekday" && sa.values.length > 1;
  if (qualifier && topFolder(a.path) === topFolder(b.path)) return null;
  return { a, b, attribute: va.type, aValue: va, bValue: vb, ...(qualifier ? { onlyByChange: true } : {}) };
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
  const [s, other] = side === "a" ? [a, b] : [b, a];
  const detail = (v: Value) =>
    v.type === "name" && s.verb !== -1 && s.valueWord[s.values.indexOf(v)]! > s.verb;
  // The side that adds names says more; the other may not add words of its own ("… at the bergen store").
  const covered = other.frame.every((t) => s.frame.includes(t));
  return covered && extras.every((e) => e.side === side && e.values.every(detail)) ? found : null;
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

function sameFrame(a: Statement, b: Statement): boolean {
  const fa = new Set(a.frame);
  const fb = new Set(b.frame);
  if (fa.size === 0 || fb.size === 0) return fa.size === fb.size;
  const shared = [...fa].filter((t) => fb.has(t)).length;
  const onlyA = fa.size - shared;
  const onlyB = fb.size - shared;
  // One side may say more; a word replaced on both sides is another thing ("zati range" / "miyo range").
  if (onlyA > 0 && onlyB > 0) return false;
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

function leadOf(s: Statement, v: Value): string {
  return s.valueLead[s.values.indexOf(v)] ?? "";
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

/**
 * Cheap blocking keys from a fact's plain words (no statement needed), so that facts which may
 * conflict share one: its words without numbers, names included ("all"); the same with one plain
 * word left out, for one word of rewording ("one"); its words without names, for a name that is
 * the value ("bare"); and the role words it names ("role").
 */
export function blockingKeys(raw: string): { key: number; cap: number }[] {
  const words = raw.replace(/<!--[^>]*-->/g, " ").match(WORD) ?? [];
  // Order-free hashes of word sets: XOR of each word's hash, so a word left out is one more XOR.
  const plain: number[] = [];
  let names = 0;
  let p = 0;
  // The subject's own words (before the verb), for a fact that says more than another.
  const verb = verbIndex(words.map((w) => w.toLowerCase()));
  let subject = 0;
  words.forEach((w, i) => {
    if (i === verb && verb > 0) subject = p ^ names;
    if (/\d/.test(w)) return;
    const lower = w.toLowerCase();
    if (STOPWORDS.has(lower) || EFFECTIVE_WORDS.has(lower)) return;
    const capital = w[0] !== lower[0];
    // "Lars Berg is …" opens with a name; "Free EU shipping …" opens with a word before an acronym.
    const next = words[1] ?? "";
    const opensName = i === 0 && capital && next[0] !== next[0]?.toLowerCase() && next !== next.toUpperCase();
    if ((capital && i > 0) || opensName) names ^= hash(`n ${lower}`);
    else {
      const h = hash(stemOf(lower));
      if (plain.includes(h)) return;
      plain.push(h);
      p ^= h;
    }
  });
  // One namespace for the whole set and the set less one word: a fact that adds a word meets the
  // fact without it, and two that each reword one word meet on what they share.
  const keys = [
    { key: hash(`set ${p} ${names}`), cap: GROUP_CAP },
    { key: hash(`bare ${p}`), cap: SMALL_CAP },
  ];
  if (plain.length <= 10)
    for (const h of plain) keys.push({ key: hash(`set ${p ^ h} ${names}`), cap: GROUP_CAP });
  if (verb > 0) keys.push({ key: hash(`subject ${subject}`), cap: GROUP_CAP });
  for (const m of raw.matchAll(ROLE_WORDS))
    keys.push({ key: hash(`role ${m[0].toLowerCase()}`), cap: GROUP_CAP });
  return keys;
}

/** Words of an effective-date phrase ("since 2026-03-01"): a statement reads them apart from its frame. */
const EFFECTIVE_WORDS = new Set(["since", "until", "till", "starting", "effective", "beginning"]);
const WORD = /[\p{L}\p{N}]+(?:['’.&-][\p{L}\p{N}]+)*/gu;
const ROLE_WORDS =
  /\b(?:CEO|CFO|CTO|COO|CMO|CIO|CPO|CHRO|CISO|President|Chair\w*|Treasurer|Head of \p{Lu}\p{L}*|Director)\b/gu;
/** A key shared by more facts than its cap is too common to tell them apart (templated catalogs). */
const GROUP_CAP = 64;
const SMALL_CAP = 16;

/** Every conflicting pair among `facts`, each once. */
export function findConflicts(facts: LiveFact[]): Conflict[] {
  // Each (key, fact) as key·2^21 + fact in a typed array, one per cap, sorted: a run of one key
  // is its group. Keys are hashes: a collision only adds comparisons. No map of millions of
  // groups, so a large tree's index stays small.
  if (facts.length > FACT_SPAN)
    throw new RangeError(`kb consolidate reads at most ${FACT_SPAN} facts at once`);
  const entries = { [GROUP_CAP]: new Entries(), [SMALL_CAP]: new Entries() };
  facts.forEach((f, i) => {
    for (const { key, cap } of blockingKeys(f.raw))
      entries[cap as keyof typeof entries].push(key * FACT_SPAN + i);
  });
  // Candidate pairs as i·n + j in a typed array: sorted, each pair is compared once.
  const pairs = new Entries();
  const add = (ids: ArrayLike<number>) => {
    for (let x = 0; x < ids.length; x++)
      for (let y = x + 1; y < ids.length; y++) pairs.push(ids[x]! * facts.length + ids[y]!);
  };
  const leftOut = new Map<number, string[]>();
  for (const cap of [GROUP_CAP, SMALL_CAP] as const) {
    for (const ids of groupsOf(entries[cap].sorted())) {
      if (ids.length <= cap) add(ids);
      else if (cap === GROUP_CAP) for (const sub of subgroups(facts, ids, leftOut)) add(sub);
    }
  }
  const sorted = pairs.sorted();
  const out: Conflict[] = [];
  for (let k = 0; k < sorted.length; k++) {
    const id = sorted[k]!;
    if (k > 0 && sorted[k - 1] === id) continue;
    const i = Math.floor(id / facts.length);
    const c = conflictOf(facts[i]!, facts[id - i * facts.length]!);
    if (c) out.push(c);
  }
  return out;
}

/** Room for 2^21 facts beside a 32-bit key in one double. */
const FACT_SPAN = 2 ** 21;

/** A growing Float64Array of whole numbers. */
class Entries {
  #data = new Float64Array(1024);
  #length = 0;
  push(n: number): void {
    if (this.#length === this.#data.length) {
      const grown = new Float64Array(this.#data.length * 2);
      grown.set(this.#data);
      this.#data = grown;
    }
    this.#data[this.#length++] = n;
  }
  sorted(): Float64Array {
    return this.#data.subarray(0, this.#length).sort();
  }
}

/** The facts of each key with two or more, in order, each once, from sorted key·2^21 + fact entries. */
function* groupsOf(sorted: Float64Array): Generator<number[]> {
  let k = 0;
  while (k < sorted.length) {
    const key = Math.floor(sorted[k]! / FACT_SPAN);
    const ids: number[] = [];
    for (; k < sorted.length && Math.floor(sorted[k]! / FACT_SPAN) === key; k++) {
      const i = sorted[k]! - key * FACT_SPAN;
      if (ids.at(-1) !== i) ids.push(i);
    }
    if (ids.length >= 2) yield ids;
  }
}

/**
 * Files side by side in a folder below an agent's ("retail/stores/oslo.md", "…/stockholm.md") are
 * each about their own thing: "Deliveries from Kolding arrive on Tuesdays." in one and "… every
 * Wednesday" in the other are two stores, not two values.
 */
function entitySiblings(a: string, b: string): boolean {
  if (a === b) return false;
  const dir = a.lastIndexOf("/");
  // Two folders deep at least, and the same folder.
  return dir > a.indexOf("/") && b.lastIndexOf("/") === dir && a.slice(0, dir) === b.slice(0, dir);
}

function topFolder(path: string): string {
  return path.split("/")[0]!;
}

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * A large group of facts with the same words (a template: "SKU … costs …", "The capital of … is …"):
 * only facts sharing every value but one can conflict, so split it by each value left out.
 */
function subgroups(facts: LiveFact[], ids: number[], keys: Map<number, string[]>): number[][] {
  const by = new Map<string, number[]>();
  for (const i of ids) {
    for (const key of leftOutKeys(facts, i, keys)) {
      const g = by.get(key);
      if (g) g.push(i);
      else by.set(key, [i]);
    }
  }
  return [...by.values()].filter((g) => g.length >= 2 && g.length <= GROUP_CAP);
}

/** A fact's values with each one left out in turn, as keys; computed once per fact (it sits in many groups). */
function leftOutKeys(facts: LiveFact[], i: number, keys: Map<number, string[]>): string[] {
  let out = keys.get(i);
  if (!out) {
    const values = facts[i]!.statement.values.map((v) => `${v.type}:${v.norm}`).sort();
    out = values.map((_, k) => values.filter((_, j) => j !== k).join(" "));
    keys.set(i, out);
  }
  return out;
}
