import { describe, expect, it } from "vitest";
import { buildAudit } from "../../src/audit/build.js";
import { readAliases } from "../../src/brain/aliases.js";
import { openSearch } from "../../src/search/search.js";
import { expandQuery, glossaryNames } from "../../src/search/vocabulary.js";
import { makeContext } from "../helpers/index.js";

const doc = (fm: string, body: string) => `---\n${fm}\n---\n\n${body}\n`;
const fresh = "owner: '@sofie'\nlast_reviewed: 2026-11-01\nreview_every: 3mo";

// Filler facts, so that BM25's word weights mean something in so small a brain.
const filler = doc(
  `title: Misc\n${fresh}`,
  `## Misc\n\n${["Oslo", "Tokyo", "Hamburg", "Aarhus", "Stockholm", "Kolding", "Bergen", "Malmo"].map((c) => `- The ${c} store opens at 10:00.`).join("\n")}`,
);

const brain = {
  "company/glossary.md": doc(
    `title: Glossary\ntags: [glossary]\n${fresh}`,
    "## Terms\n\n- A chargeback means a disputed card payment or card dispute.\n- FW26 means the Fall/Winter 2026 collection.\n- A drop is a small capsule released between two main collections.",
  ),
  "finance/payments.md": doc(
    `title: Payments\n${fresh}`,
    "## Cards\n\n- Each chargeback costs a €15 fee.\n- Adyen pays out daily to the EUR account.\n- The FW25 budget closed on 2025-12-31.\n- Hourly staff are paid on the 10th.\n- Invoices above 100 need approval.",
  ),
  "customer-service/gift-cards.md": doc(
    `title: Gift cards\naliases: [gift voucher, voucher]\n${fresh}`,
    "## Rules\n\n- Gift cards are valid for 3 years.",
  ),
  "customer-service/vouchers.md": doc(
    `title: Store credit\n${fresh}`,
    "## Rules\n\n- A voucher from a store is valid for 3 years too.",
  ),
  "customer-service/returns.md": doc(
    `title: Returns\n${fresh}`,
    "## Returns\n\n- Returned items are refunded within 5 days.",
  ),
  "company/misc.md": filler,
};

const searcher = () => openSearch(makeContext({ brain }));

describe("glossary facts: the names they give", () => {
  it.each([
    [
      "A chargeback means a disputed card payment or card dispute.",
      ["chargeback", "disputed card payment", "card dispute"],
    ],
    [
      "Adyen is our card processor, payment provider or PSP; it takes cards.",
      ["Adyen", "card processor", "payment provider", "PSP"],
    ],
    [
      'FW26 means the Fall/Winter 2026 collection, named "Nordlys".',
      ["FW26", "Fall/Winter 2026 collection", "Nordlys"],
    ],
    [
      "The CEO means the chief executive, who runs the company.",
      ["CEO", "chief executive", "runs the company"],
    ],
    // A description is not a name: nothing to expand with.
    ["A drop is a small capsule released between two main collections.", []],
    ["Kolding ships every web order.", []],
  ])("%s", (fact, names) => {
    expect(glossaryNames(fact)).toEqual(names);
  });

  it("widens a query that names one of them, with the others, and says where from", () => {
    const groups = [
      { names: glossaryNames("A chargeback means a disputed card payment or card dispute."), from: "g.md:3" },
    ];
    expect(expandQuery(groups, ["disputed", "card", "payment", "cost"])).toEqual([
      { term: "disputed card payment", added: ["chargeback"], from: "g.md:3" },
    ]);
    expect(expandQuery(groups, ["chargebacks"])).toEqual([
      { term: "chargeback", added: ["disputed card payment", "card dispute"], from: "g.md:3" },
    ]);
    expect(expandQuery(groups, ["card", "fee"])).toEqual([]);
  });
});

describe("kb search with the brain's vocabulary", () => {
  it("matches inflections: returns finds returned, pay finds pays", () => {
    const s = searcher();
    expect(s.search("returns").hits.map((h) => h.text)).toEqual([
      "Returned items are refunded within 5 days.",
    ]);
    expect(s.search("when does adyen pay", { expand: false }).hits[0]?.text).toBe(
      "Adyen pays out daily to the EUR account.",
    );
  });

  it("keeps codes and numbers exact: FW26 is not FW25, 10 is not 10th or 100", () => {
    const s = searcher();
    expect(s.search("FW25 budget").hits.map((h) => h.text)).toEqual([
      "The FW25 budget closed on 2025-12-31.",
    ]);
    expect(s.search("FW26", { expand: false }).hits.map((h) => h.text)).toEqual([
      "FW26 means the Fall/Winter 2026 collection.",
    ]);
    expect(
      s
        .search("10", { expand: false })
        .hits.map((h) => h.text)
        .filter((t) => /10th|100/.test(t)),
    ).toEqual([]);
  });

  it("finds the fact in the brain's words for a question in the asker's, and shows the expansion", () => {
    const r = searcher().search("What does a disputed card payment cost?");
    expect(r.hits[0]?.text).toBe("Each chargeback costs a €15 fee.");
    expect(r.expanded).toEqual([
      // "card dispute" is in the question already: only the name it lacks is added.
      { term: "disputed card payment", added: ["chargeback"], from: "company/glossary.md:11" },
    ]);
    // The definition is the expansion, not an answer.
    expect(r.hits.map((h) => h.file)).not.toContain("company/glossary.md");
    // On its own words, the question finds the definition first.
    expect(
      searcher().search("What does a disputed card payment cost?", { expand: false }).hits[0]?.text,
    ).toBe("A chargeback means a disputed card payment or card dispute.");
  });

  it("expands aliases both ways, a fact in the asker's own words first", () => {
    const s = searcher();
    const byVoucher = s.search("voucher valid");
    expect(byVoucher.hits.map((h) => h.text)).toEqual([
      "A voucher from a store is valid for 3 years too.",
      "Gift cards are valid for 3 years.",
    ]);
    expect(byVoucher.expanded).toEqual([
      {
        term: "voucher",
        added: ["Gift cards", "gift voucher"],
        from: "customer-service/gift-cards.md (aliases)",
      },
    ]);
    const byTitle = s.search("gift cards valid");
    expect(byTitle.hits.map((h) => h.text)).toEqual([
      "Gift cards are valid for 3 years.",
      "A voucher from a store is valid for 3 years too.",
    ]);
    expect(byTitle.expanded[0]?.added).toEqual(["gift voucher", "voucher"]);
  });
});

describe("aliases: in frontmatter", () => {
  it("is a list of words or phrases; anything else is named with the key", () => {
    expect(readAliases({ aliases: ["gift voucher", " voucher "] })).toEqual({
      aliases: ["gift voucher", "voucher"],
      problem: null,
    });
    expect(readAliases({ aliases: "gift voucher" }).problem).toMatchInlineSnapshot(
      `"aliases: "gift voucher" is not a list; expected a list of words or phrases that name the file's subject, e.g. aliases: [gift voucher, voucher]"`,
    );
    expect(readAliases({ aliases: ["voucher", 3] }).problem).toMatch(
      /^aliases: item 3 is not a word or phrase/,
    );
  });

  it("a malformed key is reported by kb search with the file and by kb audit on its line; the rest still applies", async () => {
    const ctx = makeContext({
      brain: {
        ...brain,
        "hr/staff.md": doc(`title: Staff\naliases: employees\n${fresh}`, "## Staff\n\n- Staff get 40% off."),
      },
    });
    const r = openSearch(ctx).search("disputed card payment");
    expect(r.problems).toEqual([
      `hr/staff.md: aliases: "employees" is not a list; expected a list of words or phrases that name the file's subject, e.g. aliases: [gift voucher, voucher]`,
    ]);
    expect(r.hits[0]?.text).toBe("Each chargeback costs a €15 fee.");
    const audit = await buildAudit(ctx);
    expect(audit.files.find((f) => f.path === "hr/staff.md")?.details).toContainEqual(
      expect.objectContaining({ code: "INVALID_META", line: 3, severity: "error" }),
    );
  });
});
