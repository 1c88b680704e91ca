import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { rng } from "../../bench/generate.js";
import { parseBrainText } from "../../src/brain/parse.js";
import { applyPlan } from "../../src/dedup/apply.js";
import type { DedupPlan } from "../../src/dedup/plan.js";
import type { ScopeFact } from "../../src/dedup/survivor.js";
import { type UndoResult, undoRun } from "../../src/dedup/undo.js";
import { createLogger } from "../../src/runtime/log.js";
import { openDb } from "../../src/state/db.js";
import { tempDir } from "../helpers/index.js";

const WORDS = "returns ship store Oslo order refund €60 within days the fish turtle follows".split(" ");
const log = createLogger({ json: true, level: "error", write: () => {} });

/** A random brain file: frontmatter or not, BOM or not, LF or CRLF, final newline or not, repeated lines. */
function randomFile(random: () => number): string {
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  const sentence = () =>
    Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(WORDS)).join(" ") + pick([".", "", "!"]);
  const lines: string[] = [];
  if (random() < 0.5) lines.push("---", "title: t", "---", "");
  lines.push("# Title", "");
  const n = 1 + Math.floor(random() * 14);
  for (let i = 0; i < n; i++) {
    const roll = random();
    if (roll < 0.1) lines.push("", `## ${sentence()}`, "");
    else if (roll < 0.15) lines.push("", "A paragraph line.", "");
    else if (roll < 0.2) lines.push(`  - ${sentence()}`);
    else if (roll < 0.25) lines.push(`${1 + i}. ${sentence()}`);
    else if (roll < 0.3) lines.push(`* ${sentence()}`);
    else if (roll < 0.35) lines.push(`- ${sentence()}`, `  continued ${pick(WORDS)}`);
    else lines.push(`- ${sentence()}`);
  }
  const eol = random() < 0.4 ? "\r\n" : "\n";
  const bom = random() < 0.3 ? "\uFEFF" : "";
  return bom + lines.join(eol) + (random() < 0.7 ? eol : "");
}

function scopeFact(
  path: string,
  f: { line: number; index: number; text: string; hasChildren: boolean },
): ScopeFact {
  return {
    path,
    line: f.line,
    index: f.index,
    text: f.text,
    pinned: false,
    hasChildren: f.hasChildren,
    date: "",
  };
}

/** A plan removing a random set of a file's facts (and sometimes rewriting a kept one's provenance). */
function randomPlan(path: string, text: string, random: () => number): DedupPlan | null {
  const parsed = parseBrainText(path, text, { size: 0, mtimeMs: 0, hash: "" });
  if (!parsed.ok) throw new Error(parsed.error.message);
  const facts = parsed.doc.facts.map((f) => scopeFact(path, f));
  const removable = facts.filter((f) => !f.hasChildren);
  const removed = removable.filter(() => random() < 0.5);
  const kept = facts.filter((f) => !removed.includes(f));
  if (removed.length === 0 || kept.length === 0) return null;
  const survivor = kept[Math.floor(random() * kept.length)]!;
  return {
    facts: facts.length,
    removals: removed.map((fact) => ({ fact, kept: survivor, score: 1, reason: "same text" })),
    replacements:
      random() < 0.3
        ? [{ fact: survivor, text: `${survivor.text} <!-- kb: cs 2026-01-0${1 + (survivor.line % 9)} -->` }]
        : [],
    review: [],
    contradictions: [],
    omitted: { contradiction: 0, review: 0, atLeast: false },
  };
}

/** A later edit by a person: a line added, a kept line changed, or both. */
function editLater(text: string, random: () => number): string {
  const lines = text.split("\n");
  const body = lines.findIndex((l) => l.startsWith("# ")) + 1;
  const at = body + Math.floor(random() * (lines.length + 1 - body));
  const roll = random();
  if (roll < 0.4) lines.splice(at, 0, "- A fact added by hand.");
  else if (roll < 0.8) {
    const i = lines.findIndex((l, k) => k >= at && /^[-*] /.test(l));
    if (i !== -1)
      lines[i] = `${lines[i]!.replace(/\r$/, "")} (edited)${lines[i]!.endsWith("\r") ? "\r" : ""}`;
    else lines.push("- Appended.");
  } else lines.push("", "## Later", "", "- Another fact.");
  return lines.join("\n");
}

/**
 * Whether `result` holds every line of `edited` in the same order: undo only inserts lines and
 * reverts its own provenance rewrites (lines holding `rewrites` are left out of the comparison).
 */
function keepsEveryLine(edited: string, result: string, rewrites: string[]): boolean {
  const out = result.split("\n");
  let k = 0;
  // A final line break is not a line: putting back a last line that had none may move it.
  for (const line of edited.replace(/\n$/, "").split("\n")) {
    if (rewrites.some((r) => line.includes(r))) continue;
    while (k < out.length && out[k] !== line) k++;
    if (k === out.length) return false;
    k++;
  }
  return true;
}

describe("kb undo after dedup", () => {
  test("restores the exact bytes for any set of removals (400 random files: CRLF, BOM, no final newline)", async () => {
    const brain = tempDir();
    const db = openDb(join(tempDir(), "state"));
    const random = rng(7);
    let runs = 0;
    const notRestored: string[] = [];
    const results: UndoResult[] = [];
    try {
      for (let i = 1; i <= 400; i++) {
        const path = `f${i}.md`;
        const text = randomFile(random);
        writeFileSync(join(brain, path), text);
        const plan = randomPlan(path, text, random);
        if (!plan) continue;
        runs++;
        const applied = await applyPlan(plan, { brain, runId: i, db, log });
        expect(applied.removed, path).toBe(plan.removals.length);
        expect(readFileSync(join(brain, path), "utf8")).not.toBe(text);
        results.push(await undoRun(db, i, { now: "2026-11-29T00:00:00Z" }));
        if (readFileSync(join(brain, path), "utf8") !== text) notRestored.push(JSON.stringify(text));
      }
    } finally {
      db.close();
    }
    expect(runs).toBeGreaterThan(300);
    expect(notRestored).toEqual([]);
    expect(new Set(results.flatMap((r) => r.files.map((f) => f.outcome)))).toEqual(new Set(["restored"]));
  });

  test("on a file edited since the run, puts removed facts back around the edits and never loses a line", async () => {
    const brain = tempDir();
    const db = openDb(join(tempDir(), "state"));
    const random = rng(11);
    let putBack = 0;
    let reported = 0;
    try {
      for (let i = 1; i <= 300; i++) {
        const path = `f${i}.md`;
        const text = randomFile(random);
        writeFileSync(join(brain, path), text);
        const plan = randomPlan(path, text, random);
        if (!plan) continue;
        await applyPlan(plan, { brain, runId: i, db, log });
        const edited = editLater(readFileSync(join(brain, path), "utf8"), random);
        writeFileSync(join(brain, path), edited);
        const [file] = (await undoRun(db, i, { now: "2026-11-29T00:00:00Z" })).files;
        const result = readFileSync(join(brain, path), "utf8");
        const rewrites = plan.replacements.map((r) => r.text);
        expect(
          keepsEveryLine(edited, result, rewrites),
          `${JSON.stringify(edited)}\n→ ${JSON.stringify(result)}`,
        ).toBe(true);
        expect(parseBrainText(path, result, { size: 0, mtimeMs: 0, hash: "" }).ok).toBe(true);
        expect(file!.restored.length + file!.notRestored.length).toBe(plan.removals.length);
        for (const n of file!.notRestored) expect(n.reason).not.toBe("");
        const resultFacts = (
          parseBrainText(path, result, { size: 0, mtimeMs: 0, hash: "" }) as {
            ok: true;
            doc: { facts: { text: string }[] };
          }
        ).doc.facts.map((f) => f.text);
        for (const t of file!.restored) expect(resultFacts, t).toContain(t);
        putBack += file!.restored.length;
        reported += file!.notRestored.length;
      }
    } finally {
      db.close();
    }
    // Most removed facts find their place again; the rest are reported, never guessed.
    expect(putBack).toBeGreaterThan(4 * reported);
  });
});
