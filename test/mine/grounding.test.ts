import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readProvenance, stripKbComments, withProvenance } from "../../src/brain/provenance.js";
import { groundFact } from "../../src/mine/grounding.js";
import { keyTerms } from "../../src/mine/grounding-terms.js";
import type { NearFact } from "../../src/mine/nearest.js";
import { chunkEntries, preprocess } from "../../src/mine/preprocess.js";
import { parseLog } from "../../src/mine/readers/index.js";
import { markdownEntries } from "../../src/mine/readers/markdown.js";
import type { LogEntry } from "../../src/mine/types.js";
import { type ReplyOp, validateOps } from "../../src/mine/validate.js";
import { repoRoot } from "../helpers/index.js";

const entry = (id: string, at: string, text: string, role: LogEntry["role"] = "user"): LogEntry => ({
  key: `${id}@${at}`,
  at,
  role,
  text,
  end: 0,
  session: "d22d0952-b6fe",
  entryId: id,
});

/** The chunk's entries exactly as `kb mine` sends them: noise dropped, secrets redacted. */
const entries = preprocess([
  entry("e1", "2026-11-20T09:01:00.000Z", "Morning! Cold one today, minus 12 in Grünerløkka."),
  entry(
    "e2",
    "2026-11-20T09:02:00.000Z",
    "From next Tuesday Adyen pays out on Tuesdays and Fridays — instead of “daily”.",
  ),
  entry(
    "e3",
    "2026-11-20T09:03:00.000Z",
    "From 2027-01-01 the staff discount covers up to €2,500 of purchases per calendar year.",
    "assistant",
  ),
  entry("e4", "2026-11-20T09:04:00.000Z", "The Posten portal password=Fjord-Posten-2026 is in the vault."),
  entry("e5", "2026-11-20T09:05:00.000Z", "Ida Berg covers the Oslo store from 1 December to 4 January."),
]).kept;

const check = (fact: string, quote?: string) => {
  const g = groundFact(fact, quote, entries);
  return g.ok ? { ok: true, entries: g.evidence.entries.map((e) => e.entryId), quote: g.evidence.quote } : g;
};

describe("the grounding check", () => {
  it("keeps a fact whose verbatim quote is in the excerpt, allowing for case, spacing, quote marks, dashes and unicode", () => {
    expect(
      check(
        "From 2027-01-01 the staff discount covers up to €2,500 of purchases per calendar year.",
        "from 2027-01-01 the staff discount covers up to €2,500 of purchases",
      ),
    ).toEqual({
      ok: true,
      entries: ["e3"],
      quote: "from 2027-01-01 the staff discount covers up to €2,500 of purchases",
    });
    // Curly quotes and an em dash in the log, straight ones and a hyphen in the quote; extra spaces.
    expect(
      check(
        "From 2026-11-24 Adyen pays out on Tuesdays and Fridays instead of daily.",
        'Adyen pays out on  Tuesdays and Fridays - instead of "daily"',
      ),
    ).toMatchObject({ ok: true, entries: ["e2"] });
    // Left-out words as "…"; the timestamp prefix the prompt showed may be part of the quote.
    expect(
      check(
        "Ida Berg covers the Oslo store from 2026-12-01 to 2027-01-04.",
        "[2026-11-20 09:05 user] Ida Berg covers … from 1 December to 4 January",
      ),
    ).toMatchObject({ ok: true, entries: ["e5"] });
  });

  it("resolves relative dates against the entry's time and dates written out in words", () => {
    expect(keyTerms("From 2026-11-24 Adyen pays out on Tuesdays and Fridays.")).toEqual({
      dates: ["2026-11-24"],
      numbers: [],
      names: ["adyen", "tuesdays", "fridays"],
      ids: [],
    });
    // "next Tuesday" said on 2026-11-20: a date within the year after it is a resolution, not an invention.
    expect(
      check("From 2026-11-24 Adyen pays out on Tuesdays and Fridays.", "From next Tuesday Adyen pays out"),
    ).toMatchObject({ ok: true });
    // No relative words and no such date written: refused.
    expect(
      check(
        "From 2027-03-01 the staff discount covers up to €2,500.",
        "the staff discount covers up to €2,500 of purchases",
      ),
    ).toMatchObject({
      ok: false,
      detail: expect.stringContaining('the date "2027-03-01"'),
    });
  });

  it("refuses a quote that is absent, altered, or present but missing the fact's number, name or identifier", () => {
    expect(check("Adyen pays out weekly.", "Adyen pays out every Monday at noon")).toEqual({
      ok: false,
      detail: 'evidence not in the log excerpt for "Adyen pays out weekly."',
    });
    // One figure changed in an otherwise verbatim quote.
    expect(
      check(
        "From 2027-01-01 the staff discount covers up to €3,000 of purchases per calendar year.",
        "the staff discount covers up to €3,000 of purchases per calendar year",
      ),
    ).toMatchObject({ ok: false, detail: expect.stringMatching(/^evidence not in the log excerpt/) });
    // A true quote that does not carry the fact's amount.
    expect(
      check(
        "From 2027-01-01 the staff discount covers up to €3,000 of purchases per calendar year.",
        "the staff discount covers up to",
      ),
    ).toEqual({
      ok: false,
      detail:
        'evidence does not support the number "3000" in "From 2027-01-01 the staff discount covers up to €3,000 of purchases per calendar year." (quote: "the staff discount covers up to")',
    });
    expect(
      check("Ida Berg and Oskar Haugen cover the Oslo store.", "Ida Berg covers the Oslo store"),
    ).toMatchObject({
      ok: false,
      detail: expect.stringContaining('the name "oskar"'),
    });
    expect(
      check("Adyen payout batch FF-2031 runs on Tuesdays.", "Adyen pays out on Tuesdays and Fridays"),
    ).toMatchObject({
      ok: false,
      detail: expect.stringContaining('the identifier "ff-2031"'),
    });
  });

  it("refuses missing, too short and too long evidence", () => {
    expect(check("Adyen pays out on Tuesdays.")).toEqual({
      ok: false,
      detail: 'no evidence for "Adyen pays out on Tuesdays."',
    });
    expect(check("Adyen pays out on Tuesdays.", "Tuesdays")).toMatchObject({
      ok: false,
      detail: expect.stringContaining("too short"),
    });
    expect(check("Adyen pays out on Tuesdays.", `Adyen pays out ${"x".repeat(200)}`)).toMatchObject({
      ok: false,
      detail: expect.stringContaining("evidence is 215 characters, at most 200"),
    });
  });

  it("checks against the redacted text: a quote of a secret is not in it, and the stored quote holds no secret", () => {
    expect(entries[3]!.text).not.toContain("Fjord-Posten-2026");
    expect(
      check("The Posten portal password is in the vault.", "password=Fjord-Posten-2026 is in the vault"),
    ).toMatchObject({
      ok: false,
      detail: expect.not.stringContaining("Fjord-Posten-2026"),
    });
    const ok = check("The Posten portal password is kept in the vault.", entries[3]!.text.slice(0, 80));
    expect(ok).toMatchObject({ ok: true, entries: ["e4"] });
    expect(JSON.stringify(ok)).not.toContain("Fjord-Posten-2026");
  });

  it("finds the entries a quote spans in a chunk the way the prompt shows it", () => {
    const [chunk] = chunkEntries({ kept: entries, all: [], dropped: 0, redactions: {} }, 6000, 0);
    expect(
      groundFact("Adyen pays out on Tuesdays and Fridays.", chunk!.text.split("\n")[1]!, chunk!.entries),
    ).toMatchObject({
      ok: true,
      evidence: { entries: [{ entryId: "e2", session: "d22d0952-b6fe", at: "2026-11-20T09:02:00.000Z" }] },
    });
  });
});

describe("grounding a supersede", () => {
  const log = preprocess([
    entry(
      "c1",
      "2026-11-20T10:00:00.000Z",
      "Board meeting done: Ingrid Dahl takes over as CEO from Lars Berg today.",
    ),
    entry("c2", "2026-11-20T10:01:00.000Z", "Free EU shipping now starts above €60 instead of €50."),
  ]).kept;
  const near: NearFact[] = [
    {
      id: 1,
      path: "company/org-chart.md",
      section: "Leadership",
      raw: "The CEO, Lars Berg, reports to the board chaired by Kari Solheim.",
      text: "The CEO, Lars Berg, reports to the board chaired by Kari Solheim.",
    },
    {
      id: 2,
      path: "finance/shipping.md",
      section: "Shipping",
      raw: "Free EU shipping above €50 on orders of at most 3 parcels.",
      text: "Free EU shipping above €50 on orders of at most 3 parcels.",
    },
  ];
  const validate = (ops: ReplyOp[]) => {
    const r = validateOps(ops, near, ["**/*.md"], log);
    return { valid: r.valid.map((o) => o.text), rejected: r.rejected.map((x) => x.detail) };
  };

  it("keeps what the replaced fact already said without evidence for it; only what changes needs the quote", () => {
    const text = "The CEO, Ingrid Dahl, reports to the board chaired by Kari Solheim.";
    const evidence = "Ingrid Dahl takes over as CEO from Lars Berg today";
    expect(validate([{ op: "supersede", id: 1, text, evidence }])).toEqual({ valid: [text], rejected: [] });
    // The same text as an add has no fact to keep anything from: the board chair is not in the log.
    expect(
      validate([{ op: "add", path: "company/org-chart.md", section: "Leadership", text, evidence }]),
    ).toEqual({
      valid: [],
      rejected: [
        'evidence does not support the name "kari" in "The CEO, Ingrid Dahl, reports to the board chaired by Kari Solheim." (quote: "Ingrid Dahl takes over as CEO from Lars Berg today")',
      ],
    });
    const shipping = "Free EU shipping above €60 on orders of at most 3 parcels.";
    expect(
      validate([
        { op: "supersede", id: 2, text: shipping, evidence: "Free EU shipping now starts above €60" },
      ]),
    ).toEqual({ valid: [shipping], rejected: [] });
  });

  it("still refuses a name or number that is new relative to the replaced fact and not in the log", () => {
    expect(
      validate([
        {
          op: "supersede",
          id: 1,
          text: "The CEO, Ingrid Dahl, reports to the board chaired by Per Olsen.",
          evidence: "Ingrid Dahl takes over as CEO from Lars Berg today",
        },
        {
          op: "supersede",
          id: 2,
          text: "Free EU shipping above €60 on orders of at most 4 parcels.",
          evidence: "Free EU shipping now starts above €60",
        },
        {
          op: "supersede",
          id: 2,
          text: "Free EU shipping above €70 on orders of at most 3 parcels.",
          evidence: "Free EU shipping now starts above €60",
        },
      ]).rejected,
    ).toEqual([
      'evidence does not support the name "olsen" in "The CEO, Ingrid Dahl, reports to the board chaired by Per Olsen." (quote: "Ingrid Dahl takes over as CEO from Lars Berg today")',
      'evidence does not support the number "4" in "Free EU shipping above €60 on orders of at most 4 parcels." (quote: "Free EU shipping now starts above €60")',
      'evidence does not support the number "70" in "Free EU shipping above €70 on orders of at most 3 parcels." (quote: "Free EU shipping now starts above €60")',
    ]);
  });
});

describe("compact provenance", () => {
  it("names agent, date and a short session/entry reference, in one trailing comment, and still reads the old form", () => {
    const fact = withProvenance("Free EU shipping above €60.", [
      { agent: "finance", date: "2026-11-20", ref: "d22d0952/a0000003" },
    ]);
    expect(fact).toBe("Free EU shipping above €60. <!-- kb: finance 2026-11-20 d22d0952/a0000003 -->");
    const merged = withProvenance(fact, [
      ...readProvenance(fact),
      ...readProvenance("Free EU shipping above €60. <!-- kb: cs 2026-11-21 -->"),
    ]);
    expect(merged).toBe(
      "Free EU shipping above €60. <!-- kb: finance 2026-11-20 d22d0952/a0000003; cs 2026-11-21 -->",
    );
    expect(readProvenance(merged)).toEqual([
      { agent: "finance", date: "2026-11-20", ref: "d22d0952/a0000003" },
      { agent: "cs", date: "2026-11-21" },
    ]);
    expect(stripKbComments(merged)).toBe("Free EU shipping above €60.");
    // The old form for the same agent and day adds nothing next to a referenced entry.
    expect(withProvenance(fact, [...readProvenance(fact), { agent: "finance", date: "2026-11-20" }])).toBe(
      fact,
    );
    expect(merged.match(/<!--/g)).toHaveLength(1);
  });
});

describe("entry identity in the readers", () => {
  it("reads the session and entry ids of OpenClaw and Claude Code transcripts", () => {
    const set = join(repoRoot, "evals/mine/logs");
    const ids = (kind: "openclaw-jsonl" | "claude-code", file: string) =>
      parseLog(kind, join(set, file), readFileSync(join(set, file)), 0, "2026-11-24").entries.map((e) => [
        e.session,
        e.entryId,
      ]);
    expect(ids("openclaw-jsonl", "02-finance-chargeback-fee.jsonl").slice(0, 2)).toMatchInlineSnapshot(`
      [
        [
          "d1e2ce46-bac4-492f-a936-44c31fc3b865",
          "fc8d9046",
        ],
        [
          "d1e2ce46-bac4-492f-a936-44c31fc3b865",
          "56ee1fbf",
        ],
      ]
    `);
    expect(ids("claude-code", "07-cs-richpanel-claude-code.jsonl").slice(0, 2)).toMatchInlineSnapshot(`
      [
        [
          "42662a21-dced-474a-ae98-a0563ce2cea7",
          "973e7c20-c465-4735-a15d-6edbbd543cb2",
        ],
        [
          "42662a21-dced-474a-ae98-a0563ce2cea7",
          "566439ed-8618-4a68-a183-3114c958badd",
        ],
      ]
    `);
  });

  it("gives markdown notes the file name as session and the block's first line as entry id", () => {
    const text = "# 2026-11-19\n\n## 10:05 — newsletter\n- Jonas decided: Thursdays.\n\n- Second block.\n";
    const r = markdownEntries(Buffer.from(text), 0, "/x/memory/2026-11-19.md", "2026-11-24");
    expect(r.entries.map((e) => [e.session, e.entryId, e.text.split("\n")[0]])).toEqual([
      ["2026-11-19.md", "L1", "# 2026-11-19"],
      ["2026-11-19.md", "L3", "## 10:05 — newsletter"],
      ["2026-11-19.md", "L6", "- Second block."],
    ]);
    // Reading on from a watermark keeps counting lines from the start of the file.
    const from = Buffer.from(text).indexOf("- Second");
    expect(
      markdownEntries(Buffer.from(text), from, "/x/memory/2026-11-19.md", "2026-11-24").entries[0]!.entryId,
    ).toBe("L6");
  });
});
