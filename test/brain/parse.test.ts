import { describe, expect, it } from "vitest";
import { parseBrainText, sectionOf } from "../../src/brain/parse.js";
import type { BrainDoc } from "../../src/brain/types.js";
import { corpus, expectedFacts } from "./corpus.js";

function parse(name: string, text: string): BrainDoc {
  const result = parseBrainText(name, text, { size: text.length, mtimeMs: 0, hash: "" });
  if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
  return result.doc;
}

describe("facts are list items' own text, with exact offsets", () => {
  for (const [name, text] of Object.entries(corpus)) {
    it(name, () => {
      const doc = parse(name, text);
      expect(doc.facts.map((f) => f.text)).toEqual(expectedFacts[name]);
      for (const fact of doc.facts) {
        // Single-line facts: the source slice is the fact text.
        if (!fact.text.includes(" onto ")) expect(text.slice(fact.start, fact.end)).toBe(fact.text);
        expect(text.slice(fact.itemStart, fact.start)).toBe(fact.prefix);
        expect(fact.itemEnd).toBeGreaterThanOrEqual(fact.end);
        expect(text.slice(0, fact.itemStart).split(/\r\n|\r|\n/).length).toBe(fact.line);
      }
    });
  }
});

describe("document metadata", () => {
  it("keeps the BOM, line endings and frontmatter values as written", () => {
    expect(parse("bom.md", corpus["bom.md"]!)).toMatchObject({
      bom: true,
      eol: "\n",
      frontmatter: { data: { title: "Leave" } },
    });
    expect(parse("crlf.md", corpus["crlf.md"]!)).toMatchObject({ bom: false, eol: "\r\n" });
    const fm = parse("fm.md", corpus["frontmatter-styles.md"]!).frontmatter!;
    expect(fm.data).toEqual({
      title: "Quoted title",
      owner: "@ingrid.cs",
      tags: ["returns", "policy"],
      verifiers: ["@lars", "@mia"],
      review_every: "3mo",
      last_reviewed: "2026-09-01",
    });
  });

  it("knows each fact's section and nesting", () => {
    const doc = parse("nested.md", "# A\n\n## B\n\n- one\n  - two\n\n## C\n\n- three\n");
    expect(doc.facts.map((f) => [f.text, f.depth, sectionOf(doc, f.heading), f.hasChildren])).toEqual([
      ["one", 0, "A > B", true],
      ["two", 1, "A > B", false],
      ["three", 0, "A > C", false],
    ]);
  });
});

describe("files kb refuses to parse", () => {
  it.each([
    ["unclosed frontmatter", "---\ntitle: x\n\n- fact\n", "BAD_FRONTMATTER", 1],
    ["broken YAML", "---\ntitle: x\nowner: [unclosed\n---\n- fact\n", "BAD_YAML", 3],
    ["duplicate key", "---\ntitle: a\ntitle: b\n---\n", "BAD_YAML", 3],
    ["frontmatter that is a list", "---\n- a\n- b\n---\n", "BAD_YAML", 2],
  ])("%s", (_, text, code, line) => {
    const result = parseBrainText("x.md", text, { size: 0, mtimeMs: 0, hash: "" });
    expect(result.ok).toBe(false);
    if (!result.ok) expect([result.error.code, result.error.line]).toEqual([code, line]);
  });
});
