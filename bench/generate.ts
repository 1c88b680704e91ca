import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

/**
 * Seeded synthetic brains for the benchmarks: N files across agent scopes, M facts, with planted
 * near-duplicates (which dedup should remove) and contradictions (which it must report, never
 * remove). Same seed, same brain, byte for byte.
 */
export interface FactRef {
  path: string;
  text: string;
}

export interface GeneratedFact extends FactRef {
  scope: string;
}

export interface Planted {
  duplicates: { a: FactRef; b: FactRef }[];
  contradictions: { a: FactRef; b: FactRef }[];
}

export interface GenerateOptions {
  files: number;
  facts: number;
  seed: number;
  /** Share of facts that get a planted near-duplicate elsewhere in their scope (default 0.05). */
  duplicateRate?: number;
  /** Share of facts that get a planted contradiction (default 0.01). */
  contradictionRate?: number;
  /** Number of agent scopes (top-level folders), default 7. */
  scopes?: number;
}

const SCOPES = [
  "company",
  "customer-service",
  "finance",
  "retail",
  "marketing",
  "merchandising",
  "hr",
  "ops",
  "legal",
  "data",
];
const SYLLABLES =
  "ka lo mi ne ru sa ti vo ba de fi gu ha jo ke li mo na pe ri so tu va we xi yo za bri cla dro fla gre pla sto tre vin mar".split(
    " ",
  );
const ROLES = ["CEO", "CFO", "COO", "CTO", "head of retail", "head of marketing", "store manager", "buyer"];
const TEMPLATES: ((w: Words) => string)[] = [
  (w) => `${w.name} supplies the ${w.thing} line from ${w.place} with a lead time of ${w.n} days`,
  (w) => `Orders of ${w.thing} above €${w.n * 5} ship free to ${w.place}`,
  (w) => `${w.name} is the ${w.role} for the ${w.place} region`,
  (w) => `The ${w.place} store opens at ${(w.n % 4) + 8}:00 and stocks the ${w.thing} range`,
  (w) => `Returns of ${w.thing} items are accepted within ${w.n} days at ${w.place}`,
  (w) => `Payroll for the ${w.place} team runs on day ${(w.n % 28) + 1} of each month`,
  (w) => `Campaign ${w.name} targets ${w.thing} buyers in ${w.place} with a ${w.n % 50}% discount`,
  (w) => `Escalate ${w.thing} complaints from ${w.place} to ${w.name} within ${w.n % 48} hours`,
];

interface Words {
  name: string;
  thing: string;
  place: string;
  role: string;
  n: number;
}

/** mulberry32: tiny, fast, good enough for test data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Generate the facts in memory (the file layout is decided here; `generateBrain` writes it). */
export function generateFacts(options: GenerateOptions): { facts: GeneratedFact[]; planted: Planted } {
  const random = rng(options.seed);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  const word = (n: number) => {
    let w = "";
    for (let i = 0; i < n; i++) w += pick(SYLLABLES);
    return w;
  };
  const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);
  const scopes = SCOPES.slice(0, Math.max(1, Math.min(SCOPES.length, options.scopes ?? 7)));
  const files = Math.max(1, options.files);
  const pathOf = (i: number) => {
    const scope = scopes[i % scopes.length]!;
    return { scope, path: `${scope}/area-${Math.floor(i / scopes.length) % 50}/topic-${i}.md` };
  };
  const dupRate = options.duplicateRate ?? 0.05;
  const conRate = options.contradictionRate ?? 0.01;
  const facts: GeneratedFact[] = [];
  const planted: Planted = { duplicates: [], contradictions: [] };
  const sameScopeFile = (fileIndex: number) => {
    const other = fileIndex + scopes.length * (1 + Math.floor(random() * 5));
    return pathOf(other < files ? other : fileIndex % scopes.length);
  };

  while (facts.length < options.facts) {
    const fileIndex = Math.floor(random() * files);
    const { scope, path } = pathOf(fileIndex);
    const w: Words = {
      name: cap(word(3)),
      thing: word(2),
      place: cap(word(3)),
      role: pick(ROLES),
      n: 2 + Math.floor(random() * 90),
    };
    const template = pick(TEMPLATES);
    const text = `${template(w)}.`;
    facts.push({ scope, path, text });
    const roll = random();
    if (roll < dupRate && facts.length < options.facts) {
      const twin = sameScopeFile(fileIndex);
      const variant =
        random() < 0.5
          ? `${text.slice(0, -1).toLowerCase()}`
          : `${text.slice(0, -1)}, as agreed with the team.`;
      facts.push({ scope, path: twin.path, text: variant });
      planted.duplicates.push({ a: { path, text }, b: { path: twin.path, text: variant } });
    } else if (roll < dupRate + conRate && facts.length < options.facts) {
      const twin = sameScopeFile(fileIndex);
      const changed = `${template({ ...w, n: w.n + 7 })}.`;
      facts.push({ scope, path: twin.path, text: changed });
      planted.contradictions.push({ a: { path, text }, b: { path: twin.path, text: changed } });
    }
  }
  return { facts, planted };
}

/** Write a generated brain to `dir` and return what was planted. */
export async function generateBrain(
  dir: string,
  options: GenerateOptions,
): Promise<{ files: number; facts: number; planted: Planted }> {
  const { facts, planted } = generateFacts(options);
  const byPath = new Map<string, string[]>();
  for (const f of facts) {
    const list = byPath.get(f.path) ?? [];
    list.push(f.text);
    byPath.set(f.path, list);
  }
  const random = rng(options.seed + 1);
  const writes: Promise<void>[] = [];
  for (const [path, texts] of byPath) {
    writes.push(writeDoc(join(dir, path), path, texts, random));
    if (writes.length >= 256) await Promise.all(writes.splice(0));
  }
  await Promise.all(writes);
  return { files: byPath.size, facts: facts.length, planted };
}

async function writeDoc(abs: string, path: string, texts: string[], random: () => number): Promise<void> {
  const title = path.slice(path.lastIndexOf("/") + 1, -3);
  const month = String(1 + Math.floor(random() * 11)).padStart(2, "0");
  const day = String(1 + Math.floor(random() * 28)).padStart(2, "0");
  const lines = [
    "---",
    `title: ${title}`,
    `owner: "@owner-${Math.floor(random() * 20)}"`,
    `last_reviewed: 2026-${month}-${day}`,
    "review_every: 90d",
    "---",
    "",
    `# ${title}`,
    "",
  ];
  const perSection = 8;
  for (let i = 0; i < texts.length; i++) {
    if (i % perSection === 0)
      lines.push(`## Section ${i / perSection + 1}`, "", "Notes the agents read before answering.", "");
    lines.push(`- ${texts[i]}`);
    if (i % perSection === perSection - 1 || i === texts.length - 1) lines.push("");
  }
  await mkdir(dirname(abs), { recursive: true });
  await writeFile(abs, lines.join("\n"));
}

/**
 * The benchmarks' standard brain, generated into `dir`: 10k files / 200k facts (1k / 20k with
 * `--quick`), with the row label that names its size.
 */
export async function standardBrain(
  dir: string,
  options: { quick: boolean; seed: number },
): Promise<{ files: number; facts: number; label: string }> {
  const files = options.quick ? 1000 : 10_000;
  const facts = options.quick ? 20_000 : 200_000;
  await generateBrain(dir, { files, facts, seed: options.seed });
  return { files, facts, label: `${files / 1000}k files / ${facts / 1000}k facts` };
}
