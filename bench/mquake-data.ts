import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { stsbDir } from "./eval-stsb.js";

/**
 * MQuAKE-hard (`../shared/data/mquake/MQuAKE-hard.json`, MIT) as a knowledge-update test for kb:
 * each case is a 4-hop chain of Wikidata facts and 4 edits to it. Its facts become a brain of
 * templated files (one per relation, in the folder of the agent that owns the relation); its
 * edits arrive as OpenClaw sessions, one per case. Cases whose edit gives a (subject, relation)
 * another new value than a different case are dropped; a fact one case leaves alone and another
 * edits is an edited fact (the expected state is that of all cases applied together). `copies`
 * repeats the set with renamed subjects (copy 0 is the data as it is). Pure apart from reading
 * the file.
 */
interface RawCase {
  case_id: number;
  requested_rewrite: {
    prompt: string;
    relation_id: string;
    subject: string;
    target_true: { str: string };
    target_new: { str: string };
    question: string;
  }[];
  single_hops: { cloze: string; answer: string }[];
  orig: { triples: [string, string, string][]; triples_labeled: [string, string, string][] };
}

/** One fact of the brain, keyed by subject and relation. */
export interface MquakeFact {
  key: string;
  path: string;
  text: string;
  /** Set when some case edits it. */
  edit?: { text: string; question: string };
}

/** One edit as a case delivers it (cases repeat edits; each repeat is delivered). */
export interface MquakeEdit {
  key: string;
  oldText: string;
  newText: string;
}

export interface MquakeSession {
  caseId: string;
  agent: string;
  edits: MquakeEdit[];
}

export interface MquakeWorld {
  cases: number;
  dropped: number[];
  facts: MquakeFact[];
  sessions: MquakeSession[];
}

/** Which agent's folder and which file each relation's facts live in. */
const RELATIONS: Record<string, [agent: string, file: string, title: string]> = {
  P175: ["media", "performers", "Performers"],
  P136: ["media", "genres", "Genres"],
  P449: ["media", "broadcasters", "Original broadcasters"],
  P50: ["media", "authors", "Authors"],
  P170: ["media", "creators", "Creators"],
  P800: ["people", "notable-works", "Notable works"],
  P27: ["people", "citizenship", "Citizenship"],
  P26: ["people", "spouses", "Spouses"],
  P40: ["people", "children", "Children"],
  P19: ["people", "birthplaces", "Birthplaces"],
  P20: ["people", "places-of-death", "Places of death"],
  P69: ["people", "education", "Education"],
  P108: ["people", "employers", "Employers"],
  P106: ["people", "occupations", "Occupations"],
  P140: ["people", "religions", "Religions"],
  P413: ["sports", "positions", "Positions"],
  P641: ["sports", "sports", "Sports"],
  P286: ["sports", "head-coaches", "Head coaches"],
  P30: ["places", "continents", "Continents"],
  P36: ["places", "capitals", "Capitals"],
  P37: ["places", "official-languages", "Official languages"],
  P6: ["places", "heads-of-government", "Heads of government"],
  P495: ["places", "countries-of-origin", "Countries of origin"],
  P159: ["companies", "headquarters", "Headquarters"],
  P112: ["companies", "founders", "Founders"],
  P176: ["companies", "manufacturers", "Manufacturers"],
  P178: ["companies", "developers", "Developers"],
  P169: ["companies", "chief-executives", "Chief executives"],
  P488: ["companies", "chairs", "Chairs"],
  P1037: ["companies", "directors", "Directors"],
};

export const MQUAKE_AGENTS = [...new Set(Object.values(RELATIONS).map((r) => r[0])), "general"];

function placeOf(relation: string, copy: number): { agent: string; path: string; title: string } {
  const [agent, file, title] = RELATIONS[relation] ?? [
    "general",
    `relation-${relation.toLowerCase()}`,
    relation,
  ];
  return { agent, path: `${agent}/${file}${copy === 0 ? "" : `-${copy + 1}`}.md`, title };
}

export function mquakePath(): string {
  return join(stsbDir(), "mquake/MQuAKE-hard.json");
}

/**
 * The cases to use: every case, less those whose edit conflicts with another case's; with `cases`,
 * the first that many, those named in `include` first. With `deliver`, only the first that many
 * cases' edits arrive in sessions; the others' facts are in the brain and must stay as they are.
 */
export function loadMquake(
  options: { cases?: number; include?: number[]; deliver?: number; copies?: number; file?: string } = {},
): MquakeWorld {
  const raw = JSON.parse(readFileSync(options.file ?? mquakePath(), "utf8")) as RawCase[];
  const newValues = new Map<string, Map<string, number[]>>();
  for (const c of raw) {
    for (const rw of c.requested_rewrite) {
      const key = `${rw.subject}|${rw.relation_id}`;
      const values = newValues.get(key) ?? new Map<string, number[]>();
      values.set(rw.target_new.str, [...(values.get(rw.target_new.str) ?? []), c.case_id]);
      newValues.set(key, values);
    }
  }
  const dropped = new Set<number>();
  for (const values of newValues.values())
    if (values.size > 1) for (const ids of values.values()) for (const id of ids) dropped.add(id);
  const usable = raw.filter((c) => !dropped.has(c.case_id));
  const first = new Set(options.include ?? []);
  const cases = [
    ...usable.filter((c) => first.has(c.case_id)),
    ...usable.filter((c) => !first.has(c.case_id)),
  ].slice(0, options.cases ?? raw.length);
  const facts = new Map<string, MquakeFact>();
  const sessions: MquakeSession[] = [];
  const renamed = renamer(
    new Set(
      JSON.stringify(raw)
        .toLowerCase()
        .match(/[\p{L}\p{N}]+/gu),
    ),
  );
  for (let copy = 0; copy < (options.copies ?? 1); copy++) {
    const name = (subject: string) => (copy === 0 ? subject : renamed(subject, copy));
    const fact = (subject: string, relation: string, template: string, value: string) => {
      const key = `${name(subject)}|${relation}`;
      const text = `${template.replace("{}", name(subject))} ${value}.`;
      const known = facts.get(key);
      if (known) return known;
      const f: MquakeFact = { key, path: placeOf(relation, copy).path, text };
      facts.set(key, f);
      return f;
    };
    for (const c of cases) {
      c.single_hops.forEach((hop, i) => {
        const [subject] = c.orig.triples_labeled[i]!;
        fact(subject, c.orig.triples[i]![1], hop.cloze.replace(subject, "{}"), hop.answer);
      });
      for (const rw of c.requested_rewrite) fact(rw.subject, rw.relation_id, rw.prompt, rw.target_true.str);
    }
    for (const c of cases.slice(0, options.deliver ?? cases.length)) {
      const edits: MquakeEdit[] = [];
      for (const rw of c.requested_rewrite) {
        const f = fact(rw.subject, rw.relation_id, rw.prompt, rw.target_true.str);
        const text = `${rw.prompt.replace("{}", name(rw.subject))} ${rw.target_new.str}.`;
        f.edit = { text, question: rw.question.replace(rw.subject, name(rw.subject)) };
        edits.push({ key: f.key, oldText: f.text, newText: text });
      }
      const agent = placeOf(c.requested_rewrite[0]!.relation_id, copy).agent;
      sessions.push({ caseId: `${c.case_id}${copy === 0 ? "" : `.${copy + 1}`}`, agent, edits });
    }
  }
  return {
    cases: Math.min(cases.length, options.deliver ?? cases.length),
    dropped: [...dropped].sort(),
    facts: [...facts.values()],
    sessions,
  };
}

const SYLLABLES = "ka lo mi ne ru sa to vi ze bo da fe gu hi jo ku le ma no pe ri su ta ve wo ya".split(" ");
const FUNCTION_WORDS = new Set("a an the of and in on at by for to de la le von van der".split(" "));

/**
 * Renames subjects for the copies: each content word becomes a made-up name of about its length;
 * one made-up word per word and copy, never the same for two words nor a word of
 * `reserved` (the data's own words).
 */
export function renamer(reserved: Set<string>): (subject: string, copy: number) => string {
  const used = new Set(reserved);
  const madeUp = new Map<string, string>();
  return (subject, copy) =>
    subject.replace(/[\p{L}\p{N}]+/gu, (word) => {
      const lower = word.toLowerCase();
      if (FUNCTION_WORDS.has(lower)) return word;
      let out = madeUp.get(`${copy}:${lower}`);
      if (!out) {
        const hash = createHash("sha256").update(`${copy}:${lower}`).digest();
        let n = Math.max(2, Math.round(word.length / 2.5));
        do out = [...hash.subarray(0, n++)].map((b) => SYLLABLES[b % SYLLABLES.length]).join("");
        while (used.has(out));
        used.add(out);
        madeUp.set(`${copy}:${lower}`, out);
      }
      // A made-up word is a name: capitalised, so "jonebo" and "joneda" are not taken for one word misspelt.
      return out[0]!.toUpperCase() + out.slice(1);
    });
}

/** The brain: `path → markdown`, facts in a "Facts" section under the relation's title. */
export function brainFiles(world: MquakeWorld): Record<string, string> {
  const byPath = new Map<string, MquakeFact[]>();
  for (const f of world.facts) byPath.set(f.path, [...(byPath.get(f.path) ?? []), f]);
  const files: Record<string, string> = {};
  for (const [path, facts] of byPath) {
    const agent = path.split("/")[0]!;
    const relation = Object.entries(RELATIONS).find(([, r]) => path.startsWith(`${r[0]}/${r[1]}`))?.[1];
    const title = relation?.[2] ?? "Other facts";
    files[path] = [
      "---",
      `title: ${title}`,
      `owner: "@${agent}-team"`,
      "last_reviewed: 2026-11-01",
      "review_every: 3mo",
      "---",
      "",
      `# ${title}`,
      "",
      "## Facts",
      "",
      ...facts.map((f) => `- ${f.text}`),
      "",
    ].join("\n");
  }
  return files;
}

/** The marker before each edit in a session; the scripted model reads what follows it. */
export const EDIT_MARKER = "Update for the knowledge base:";

/**
 * A session as OpenClaw (transcript format v3) writes it: a `session` header, then `message`
 * entries linked by id/parentId; the user states each edit, the assistant acknowledges it.
 */
export function sessionJsonl(session: MquakeSession, index: number): { id: string; text: string } {
  const id = uuidOf(`session:${session.caseId}`);
  const start = Date.parse("2026-11-20T08:00:00.000Z") + index * 60_000;
  const lines: unknown[] = [
    {
      type: "session",
      version: 3,
      id,
      timestamp: iso(start),
      cwd: `/home/agent/.openclaw/workspace-${session.agent}`,
    },
  ];
  let parent: string | null = null;
  let t = start + 50;
  const push = (role: "user" | "assistant", text: string) => {
    const entryId = uuidOf(`${id}:${lines.length}`).slice(0, 8);
    const message =
      role === "user"
        ? { role, content: [{ type: "text", text }], timestamp: t }
        : {
            role,
            content: [{ type: "text", text }],
            api: "openai-completions",
            provider: "openai",
            model: "gpt-5-mini",
            stopReason: "stop",
            timestamp: t,
          };
    lines.push({ type: "message", id: entryId, parentId: parent, timestamp: iso(t), message });
    parent = entryId;
    t += 2_000;
  };
  for (const edit of session.edits) {
    push("user", `${EDIT_MARKER} ${edit.newText}`);
    push("assistant", "Noted, I will use that from now on.");
  }
  return { id, text: `${lines.map((l) => JSON.stringify(l)).join("\n")}\n` };
}

/** `kb eval recall` questions: one per edited fact, its new text as the answer, its old text as stale. */
export function recallQuestions(world: MquakeWorld): string {
  const items = world.facts
    .filter((f) => f.edit)
    .map((f, i) => ({
      id: `q${i + 1}`,
      question: f.edit!.question,
      answer: f.edit!.text.slice(0, -1),
      stale: f.text.slice(0, -1),
    }));
  return `${JSON.stringify(items, null, 1)}\n`;
}

function uuidOf(seed: string): string {
  const h = createHash("sha256").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
