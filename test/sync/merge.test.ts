import { describe, expect, it } from "vitest";
import { rng } from "../../bench/generate.js";
import { CONFLICT_MARK } from "../../src/sync/conflict-types.js";
import { mergeFile } from "../../src/sync/file-merge.js";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const merge = (o: string, a: string, b: string, path = "a/topic.md") => {
  const r = mergeFile(path, enc(o), enc(a), enc(b));
  return { text: dec(r.merged), conflicts: r.conflicts, copies: r.copies };
};

const BASE = `---
title: Returns
owner: cs
tags: [returns, policy]
updated: 2026-10-01
---
# Returns

Intro prose line.

- Returns accepted within 30 days.
- Refunds go to the original payment method.
- Gift cards are not refundable.

## Exceptions

- Final-sale items cannot be returned.
`;

describe("fact merge: laws", () => {
  it("merge(b, x, x) = x and merge(b, b, y) = y", () => {
    const x = BASE.replace("30 days", "45 days");
    expect(merge(BASE, x, x).text).toBe(x);
    expect(merge(BASE, BASE, x).text).toBe(x);
    expect(merge(BASE, x, BASE).text).toBe(x);
  });

  it("keeps facts both sides added, in the same order whichever side merges", () => {
    const a = BASE.replace("- Gift cards", "- Exchanges are free.\n- Gift cards");
    const b = BASE.replace("- Final-sale", "- Swimwear must be unworn.\n- Final-sale");
    const ab = merge(BASE, a, b);
    expect(ab.text).toBe(merge(BASE, b, a).text);
    expect(ab.text).toContain("- Exchanges are free.\n");
    expect(ab.text).toContain("- Swimwear must be unworn.\n");
    expect(ab.conflicts).toEqual([]);
  });

  it("lets a deletion stick when the other side left the fact alone", () => {
    const a = BASE.replace("- Gift cards are not refundable.\n", "");
    const b = BASE.replace("Intro prose line.", "Intro prose, edited.");
    const r = merge(BASE, a, b);
    expect(r.text).not.toContain("Gift cards");
    expect(r.text).toContain("Intro prose, edited.");
  });

  it("keeps both versions of a fact edited differently on both sides, marked", () => {
    const a = BASE.replace("30 days", "45 days");
    const b = BASE.replace("30 days", "60 days");
    const r = merge(BASE, a, b);
    expect(r.text).toContain(
      `- Returns accepted within 45 days. ${CONFLICT_MARK}\n- Returns accepted within 60 days. ${CONFLICT_MARK}\n`,
    );
    expect(r.conflicts.map((c) => [c.kind, c.severity])).toEqual([["fact-edited-both", "conflict"]]);
    expect(r.text).not.toMatch(/^(<<<<<<<|>>>>>>>|=======)/m);
  });

  it("keeps an edit over a deletion and notes it", () => {
    const a = BASE.replace("- Gift cards are not refundable.\n", "");
    const b = BASE.replace(
      "Gift cards are not refundable.",
      "Gift cards are not refundable or exchangeable.",
    );
    const r = merge(BASE, a, b);
    expect(r.text).toContain("- Gift cards are not refundable or exchangeable.\n");
    expect(r.conflicts.map((c) => c.kind)).toEqual(["edit-vs-delete"]);
  });

  it("merges frontmatter per field: later date, 3-way tag sets, scalar clash recorded", () => {
    const a = BASE.replace("updated: 2026-10-01", "updated: 2026-11-02")
      .replace("tags: [returns, policy]", "tags: [returns, policy, eu]")
      .replace("owner: cs", "owner: finance");
    const b = BASE.replace("updated: 2026-10-01", "updated: 2026-11-05")
      .replace("tags: [returns, policy]", "tags: [returns]")
      .replace("owner: cs", "owner: retail");
    const r = merge(BASE, a, b);
    expect(r.text).toBe(merge(BASE, b, a).text);
    expect(r.text.split("---\n")[1]).toMatchInlineSnapshot(`
      "title: Returns
      owner: finance
      tags: [returns, eu]
      updated: 2026-11-05
      "
    `);
    expect(r.text).toContain('<!-- kb:conflict frontmatter owner: the other host set "retail" -->');
    expect(r.conflicts.map((c) => c.detail)).toMatchInlineSnapshot(`
      [
        "both hosts changed "owner": kept "finance", the other value was "retail"",
      ]
    `);
  });

  it("keeps both versions of clashing prose behind a kb marker, never git markers", () => {
    const a = BASE.replace("Intro prose line.", "Intro from A.");
    const b = BASE.replace("Intro prose line.", "Intro from B.");
    const r = merge(BASE, a, b);
    expect(r.text).toContain("Intro from A.\n");
    expect(r.text).toContain(
      "<!-- kb:conflict other version of the lines above: -->\nIntro from B.\n<!-- kb:conflict-end -->\n",
    );
    expect(r.text).toBe(merge(BASE, b, a).text);
  });

  it("moves an unparseable version aside as a conflict copy", () => {
    const bad = BASE.replace("owner: cs", "owner: [cs");
    const good = BASE.replace("30 days", "31 days");
    const r = merge(BASE, bad, good);
    expect(r.text).toBe(good);
    expect(r.copies.map((c) => [c.path, dec(c.bytes) === bad])).toEqual([[r.conflicts[0]!.copy, true]]);
    expect(r.conflicts[0]!.copy).toMatch(/^a\/topic\.kb-conflict-[0-9a-f]{8}\.md$/);
    expect(merge(BASE, good, bad).text).toBe(good);
  });

  it("keeps CRLF files CRLF and merges them per fact", () => {
    const crlf = (s: string) => s.replace(/\n/g, "\r\n");
    const a = crlf(BASE.replace("- Gift cards", "- Exchanges are free.\n- Gift cards"));
    const b = crlf(BASE.replace("30 days", "31 days"));
    const r = merge(crlf(BASE), a, b);
    expect(r.text).toBe(
      crlf(BASE.replace("30 days", "31 days").replace("- Gift cards", "- Exchanges are free.\n- Gift cards")),
    );
  });

  it("adds on both sides to a file with an empty base (add/add)", () => {
    const r = merge("", "# T\n\n- one\n", "# T\n\n- two\n");
    expect(r.text).toBe("# T\n\n- one\n- two\n");
    expect(merge("", "# T\n\n- two\n", "# T\n\n- one\n").text).toBe(r.text);
  });
});

const WORDS =
  "alpha bravo carbon delta echo fjord finch gamma harbor iris jade kilo lumen moss north opal".split(" ");

describe("fact merge: random edit scripts from a common base", () => {
  it("keeps every addition, sticks every deletion, duplicates nothing, and is symmetric (300 cases)", () => {
    for (let seed = 1; seed <= 300; seed++) {
      const rand = rng(seed);
      const word = () => WORDS[Math.floor(rand() * WORDS.length)]!;
      const baseFacts = Array.from(
        { length: 3 + Math.floor(rand() * 8) },
        (_, i) => `Fact ${i} says ${word()} ${word()} ${word()}.`,
      );
      const render = (facts: string[]) => {
        const half = Math.ceil(facts.length / 2);
        return `# Topic\n\nSome prose.\n\n${facts
          .slice(0, half)
          .map((f) => `- ${f}\n`)
          .join("")}\n## More\n\n${facts
          .slice(half)
          .map((f) => `- ${f}\n`)
          .join("")}`;
      };
      const edit = (side: string) => {
        const facts: string[] = [];
        const deleted = new Set<string>();
        const edited = new Map<string, string>();
        const added: string[] = [];
        for (const f of baseFacts) {
          const r = rand();
          if (r < 0.15) deleted.add(f);
          else if (r < 0.3) {
            const e = f.replace(".", ` (${side} ${word()}).`);
            edited.set(f, e);
            facts.push(e);
          } else facts.push(f);
          if (rand() < 0.2) {
            const n = `${side.toUpperCase()}${added.length} ${word()}${word()} ${Math.floor(rand() * 1e6)}`;
            added.push(n);
            facts.push(n);
          }
        }
        return { text: render(facts), deleted, edited, added };
      };
      const base = render(baseFacts);
      const a = edit("a");
      const b = edit("b");
      const ab = merge(base, a.text, b.text);
      if (process.env.DEBUG_SEED === String(seed))
        console.log(base, "\n=====A\n", a.text, "\n=====B\n", b.text, "\n=====R\n", ab.text);
      expect(ab.text, `seed ${seed}`).toBe(merge(base, b.text, a.text).text);
      const facts = ab.text
        .split("\n")
        .filter((l) => l.startsWith("- "))
        .map((l) => l.slice(2).replace(` ${CONFLICT_MARK}`, ""));
      const count = (f: string) => facts.filter((x) => x === f).length;
      for (const f of [...a.added, ...b.added]) expect(count(f), `seed ${seed}: added ${f}`).toBe(1);
      for (const f of baseFacts) {
        const [ea, eb] = [a.edited.get(f), b.edited.get(f)];
        const [da, db] = [a.deleted.has(f), b.deleted.has(f)];
        if ((da && !eb) || (db && !ea)) expect(count(f), `seed ${seed}: deleted ${f}`).toBe(0);
        if (ea && !db) expect(count(ea), `seed ${seed}: edit ${ea}`).toBe(1);
        if (eb && !da) expect(count(eb), `seed ${seed}: edit ${eb}`).toBe(1);
        if (!da && !db && !ea && !eb) expect(count(f), `seed ${seed}: kept ${f}`).toBe(1);
      }
      expect(ab.text).not.toMatch(/^(<<<<<<<|>>>>>>>)/m);
    }
  });
});
