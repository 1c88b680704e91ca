import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, relative } from "node:path";
import Database from "better-sqlite3";
import { parse as parseYaml } from "yaml";

/**
 * The team's skills library: how-to procedures, one folder per skill with a `SKILL.md` whose
 * frontmatter gives `name` and `description` (as OpenClaw and Claude write them). A skill's
 * category is the folder it sits in below a configured skills folder (the folder's own name at
 * the top). Read-only: kb serves skills, it never writes them.
 */
export interface Skill {
  name: string;
  description: string;
  category: string;
  /** The SKILL.md file. */
  path: string;
  body: string;
}

export interface SkillProblem {
  path: string;
  message: string;
}

export interface SkillLibrary {
  skills: Skill[];
  /** SKILL.md files kb could not read, and why; the rest are served. */
  problems: SkillProblem[];
}

const FRONTMATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/;

export function loadSkills(folders: string[]): SkillLibrary {
  const skills: Skill[] = [];
  const problems: SkillProblem[] = [];
  const visit = (root: string, dir: string, depth: number) => {
    const file = join(dir, "SKILL.md");
    if (existsSync(file)) {
      const skill = readSkill(file, root, dir, problems);
      if (skill) skills.push(skill);
      return;
    }
    if (depth > 4) return;
    for (const e of readdirSync(dir, { withFileTypes: true }))
      if (e.isDirectory() && !e.name.startsWith(".") && e.name !== "node_modules")
        visit(root, join(dir, e.name), depth + 1);
  };
  for (const root of folders) {
    if (!existsSync(root) || !statSync(root).isDirectory()) {
      problems.push({
        path: root,
        message: "skills folder does not exist or is not a folder (config skills)",
      });
      continue;
    }
    visit(root, root, 0);
  }
  skills.sort((a, b) => a.category.localeCompare(b.category) || a.name.localeCompare(b.name));
  return { skills, problems };
}

function readSkill(file: string, root: string, dir: string, problems: SkillProblem[]): Skill | null {
  const text = readFileSync(file, "utf8");
  const m = FRONTMATTER.exec(text);
  let data: Record<string, unknown> = {};
  try {
    data = m ? ((parseYaml(m[1]!) as Record<string, unknown> | null) ?? {}) : {};
  } catch (error) {
    problems.push({
      path: file,
      message: `frontmatter is not valid YAML: ${(error as Error).message.split("\n")[0]}`,
    });
    return null;
  }
  const { name, description } = data;
  if (typeof name !== "string" || typeof description !== "string" || !name.trim()) {
    problems.push({ path: file, message: "frontmatter needs a name and a description (strings)" });
    return null;
  }
  const parent = relative(root, join(dir, ".."));
  return {
    name: name.trim(),
    description: description.trim(),
    category: parent === "" || parent.startsWith("..") ? basename(root) : parent.split("\\").join("/"),
    path: file,
    body: m ? text.slice(m[0].length) : text,
  };
}

/**
 * BM25 over the skills (SQLite FTS5, the tokenizer kb search uses): name and description weigh
 * more than the body. Ranked apart from facts; a library is small, so the index is built in memory
 * for each search.
 */
export function searchSkills(library: SkillLibrary, query: string, k = 5): { skill: Skill; score: number }[] {
  const words = query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length === 0 || library.skills.length === 0) return [];
  const db = new Database(":memory:");
  try {
    db.exec(
      "CREATE VIRTUAL TABLE s USING fts5 (name, description, body, tokenize = 'porter unicode61 remove_diacritics 2')",
    );
    const insert = db.prepare("INSERT INTO s (rowid, name, description, body) VALUES (?, ?, ?, ?)");
    for (const [i, s] of library.skills.entries()) insert.run(i, s.name, s.description, s.body);
    const match = words.map((w) => `"${w}"`).join(" OR ");
    const rows = db
      .prepare(
        "SELECT rowid AS i, bm25(s, 5.0, 3.0, 1.0) AS rank FROM s WHERE s MATCH ? ORDER BY rank LIMIT ?",
      )
      .all(match, k) as { i: number; rank: number }[];
    return rows.map((r) => ({ skill: library.skills[r.i]!, score: Math.round(-r.rank * 1000) / 1000 }));
  } finally {
    db.close();
  }
}

export function findSkill(library: SkillLibrary, name: string): Skill | undefined {
  return (
    library.skills.find((s) => s.name === name) ??
    library.skills.find((s) => s.name.toLowerCase() === name.toLowerCase())
  );
}
