import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { addFact, applySplices, removeFact, replaceFact } from "../../src/brain/edit.js";
import { setField, unsetField } from "../../src/brain/frontmatter-edit.js";
import { parseBrainText } from "../../src/brain/parse.js";
import type { BrainDoc } from "../../src/brain/types.js";
import { createBrainFile, editBrainFile } from "../../src/brain/write.js";
import { makeTree } from "../helpers/index.js";
import { corpus } from "./corpus.js";

function parse(text: string): BrainDoc {
  const r = parseBrainText("x.md", text, { size: 0, mtimeMs: 0, hash: "" });
  if (!r.ok) throw new Error(r.error.message);
  return r.doc;
}

/** The changed region between two texts: [start, endBefore) in `before` became [start, endAfter) in `after`. */
function changedRegion(before: string, after: string) {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let b = before.length;
  let a = after.length;
  while (b > start && a > start && before[b - 1] === after[a - 1]) {
    b--;
    a--;
  }
  return { start, removed: before.slice(start, b), added: after.slice(start, a) };
}

describe("minimal diffs over the whole corpus", () => {
  for (const [name, text] of Object.entries(corpus)) {
    const doc = parse(text);

    it(`${name}: parse → no edit → identical bytes`, () => {
      expect(applySplices(text, [])).toBe(text);
      expect(Buffer.from(applySplices(text, []), "utf8").equals(Buffer.from(text, "utf8"))).toBe(true);
    });

    it(`${name}: replacing each fact changes only that fact's text`, () => {
      for (const fact of doc.facts) {
        const after = applySplices(text, [replaceFact(fact, "Replaced ✓")]);
        expect(after.slice(0, fact.start)).toBe(text.slice(0, fact.start));
        expect(after.slice(fact.start + "Replaced ✓".length)).toBe(text.slice(fact.end));
        expect(parse(after).facts[fact.index]!.text).toBe("Replaced ✓");
      }
    });

    it(`${name}: removing each leaf fact removes exactly its own lines`, () => {
      for (const fact of doc.facts.filter((f) => !f.hasChildren)) {
        const after = applySplices(text, [removeFact(fact)]);
        expect(after).toBe(text.slice(0, fact.itemStart) + text.slice(fact.itemEnd));
        expect(parse(after).facts.map((f) => f.text)).toEqual(
          doc.facts.filter((f) => f !== fact).map((f) => f.text),
        );
      }
    });

    it(`${name}: setting and unsetting a field touches one line`, () => {
      const set = applySplices(text, [setField(text, "status", "needs-review")]);
      expect(parse(set).frontmatter!.data.status).toBe("needs-review");
      expect(parse(set).facts.map((f) => f.text)).toEqual(doc.facts.map((f) => f.text));
      const region = changedRegion(text, set);
      expect(region.removed).toBe("");
      expect(region.added.replace(/^---\r?\n/, "")).toMatch(
        /^status: needs-review\r?\n(---\r?\n)?$|^---\r?\nstatus/,
      );
      const unset = unsetField(set, "status");
      expect(applySplices(set, unset ? [unset] : [])).toBe(text);
    });
  }
});

describe("adding facts", () => {
  const base =
    "---\ntitle: T\n---\n\n# T\n\n## Rules\n\n- One.\n  - Nested.\n\n## Empty\n\nProse only.\n\n## Steps\n\n1. First.\n";

  it("appends after the section's last top-level item, nested items included", () => {
    const doc = parse(base);
    expect(applySplices(base, [addFact(base, doc, "Rules", "Two.")])).toBe(
      base.replace("  - Nested.\n", "  - Nested.\n- Two.\n"),
    );
  });

  it("continues numbered lists", () => {
    expect(applySplices(base, [addFact(base, parse(base), "steps", "Second.")])).toBe(`${base}2. Second.\n`);
  });

  it("adds a list to a section that has only prose", () => {
    expect(applySplices(base, [addFact(base, parse(base), "Empty", "New.")])).toBe(
      base.replace("Prose only.\n", "Prose only.\n\n- New.\n"),
    );
  });

  it("creates a missing section at the end, keeping CRLF", () => {
    const crlf = corpus["crlf.md"]!;
    expect(applySplices(crlf, [addFact(crlf, parse(crlf), "Bonuses", "Paid in March.")])).toBe(
      `${crlf}\r\n## Bonuses\r\n\r\n- Paid in March.\r\n`,
    );
  });

  it("adds a newline first when the file has no final newline", () => {
    const text = corpus["no-final-newline.md"]!;
    expect(applySplices(text, [addFact(text, parse(text), "Tail", "Next.")])).toBe(`${text}\n- Next.\n`);
  });

  it("refuses multi-line or empty facts and removal of a fact with nested items", () => {
    const doc = parse(base);
    expect(() => addFact(base, doc, "Rules", "a\nb")).toThrowErrorMatchingInlineSnapshot(
      `[EditError: a fact must be a single line of text]`,
    );
    expect(() => replaceFact(doc.facts[0]!, "  ")).toThrowErrorMatchingInlineSnapshot(
      `[EditError: a fact cannot be empty]`,
    );
    expect(() => removeFact(doc.facts[0]!)).toThrowErrorMatchingInlineSnapshot(
      `[EditError: the fact on line 9 has nested items; kb does not remove it automatically]`,
    );
  });
});

describe("frontmatter edits keep everything else", () => {
  const text = corpus["frontmatter-styles.md"]!;

  it("replaces a quoted value in place, keeping its quotes and comment", () => {
    expect(applySplices(text, [setField(text, "title", "Retours")])).toBe(
      text.replace("'Quoted title'", "'Retours'"),
    );
  });

  it("extends a block list by one line and a flow list in place", () => {
    expect(applySplices(text, [setField(text, "verifiers", ["@lars", "@mia", "@ole"])])).toBe(
      text
        .replace(`  - '@mia'\n`, `  - '@mia'\n  - "@ole"\n`)
        .replace(`  - "@lars"\n  - '@mia'`, `  - "@lars"\n  - "@mia"`),
    );
    expect(applySplices(text, [setField(text, "tags", ["returns", "policy", "LAUNCH:fw26"])])).toBe(
      text.replace("[returns, policy]", "[returns, policy, LAUNCH:fw26]"),
    );
  });

  it("adds a frontmatter block to a file without one, after the BOM", () => {
    const bom = corpus["bom-no-frontmatter.md"]!;
    expect(applySplices(bom, [setField(bom, "owner", "@hr")])).toBe(
      `\uFEFF---\nowner: "@hr"\n---\n${bom.slice(1)}`,
    );
  });

  it("quotes values YAML would read as something else", () => {
    const after = applySplices(text, [setField(text, "evergreen", "yes")]);
    expect(parse(after).frontmatter!.data.evergreen).toBe("yes");
  });
});

describe("writing files", () => {
  it("writes atomically, keeps the mode, and refuses files that do not parse", async () => {
    const brain = makeTree({ "a.md": corpus["plain.md"]!, "bad.md": "---\nx: [\n---\n- fact\n" });
    const result = await editBrainFile(brain, "a.md", (text, doc) => [
      addFact(text, doc, "Plain", "Third fact."),
    ]);
    expect(result.changed).toBe(true);
    expect(readFileSync(join(brain, "a.md"), "utf8")).toBe(`${corpus["plain.md"]}- Third fact.\n`);
    expect(statSync(join(brain, "a.md")).mode & 0o777).toBe(0o644);
    await expect(editBrainFile(brain, "bad.md", () => [])).rejects.toThrowErrorMatchingInlineSnapshot(
      `[UnsafeWriteError: bad.md:2: invalid YAML in frontmatter: Flow sequence in block collection must be sufficiently indented and end with a ]; kb will not write to it]`,
    );
    expect(readFileSync(join(brain, "bad.md"), "utf8")).toBe("---\nx: [\n---\n- fact\n");
  });

  it("refuses paths outside the brain and existing files", async () => {
    const brain = makeTree({ "a.md": "# A\n" });
    await expect(createBrainFile(brain, "../escape.md", "# x\n")).rejects.toThrow(/leaves the brain/);
    await expect(createBrainFile(brain, "/etc/passwd.md", "# x\n")).rejects.toThrow(/must be relative/);
    await expect(createBrainFile(brain, "a.md", "# x\n")).rejects.toThrow(/already exists/);
    await expect(createBrainFile(brain, "notes.txt", "x")).rejects.toThrow(/not a .md file/);
  });

  it("refuses an edit that would leave the file unparseable", async () => {
    const brain = makeTree({ "a.md": "# A\n\n- fact\n" });
    await expect(editBrainFile(brain, "a.md", () => [{ start: 0, end: 0, text: "---\n" }])).rejects.toThrow(
      /unparseable/,
    );
    expect(readFileSync(join(brain, "a.md"), "utf8")).toBe("# A\n\n- fact\n");
  });
});
