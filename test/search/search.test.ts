import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openSearch } from "../../src/search/search.js";
import { kbInProcess, makeContext, makeTree, tempDir } from "../helpers/index.js";

const doc = (fm: string, body: string) => `---\n${fm}\n---\n\n${body}\n`;

const brain = {
  "customer-service/returns.md": doc(
    "title: Returns\nowner: '@sofie'\nlast_reviewed: 2026-11-01\nreview_every: 3mo",
    "## Returns\n\n- Returns are accepted within 30 days of delivery. <!-- kb: customer-service 2026-11-01 -->\n- Sale items can be returned within 14 days of delivery.",
  ),
  // Expired: its review was due 2026-04-01. It matches the query better than the current file.
  "customer-service/old-faq.md": doc(
    "title: Returns FAQ\nowner: '@sofie'\nlast_reviewed: 2026-01-01\nreview_every: 3mo",
    "## Returns\n\n- Returns accepted within 14 days of delivery.",
  ),
  // Marked by a launch: needs review.
  "marketing/launch.md": doc(
    "title: Launch\nowner: '@jonas'\nlast_reviewed: 2026-11-01\nreview_every: 3mo\nstatus: needs-review\nreview_reasons: ['LAUNCH:fw26']",
    "## Returns\n\n- Launch orders have a 60-day window for returns after delivery.",
  ),
  // Due soon: due 2026-12-01, within the 14-day window of 2026-11-24.
  "finance/refunds.md": doc(
    "title: Refunds\nlast_reviewed: 2026-09-01\nreview_every: 3mo",
    "## Refunds\n\n- Refunds for returns are issued within 5 days of delivery back.",
  ),
  "_archive/customer-service/returns.md": doc(
    "title: Old returns\nstatus: archived",
    "## Returns\n\n- Returns are accepted within 14 days of delivery.",
  ),
  ".drafts/returns.md": "- Returns are accepted within 90 days of delivery.\n",
  // Unrelated facts, so that BM25's word weights mean something in so small a brain.
  "company/misc.md": doc(
    "title: Misc\nowner: '@ingrid'\nlast_reviewed: 2026-11-01",
    `## Misc\n\n${["Oslo", "Tokyo", "Hamburg", "Aarhus", "Stockholm", "Kolding", "Bergen", "Malmo"].map((c) => `- The ${c} store opens at 10:00.`).join("\n")}`,
  ),
};

describe("kb search", () => {
  it("ranks current files first among good matches, marks expired and needs-review ones, never returns _archive/ or dot-folders", () => {
    const ctx = makeContext({ brain });
    const result = openSearch(ctx).search("returns accepted within 14 days of delivery", { k: 10 });
    expect(result.hits.map((h) => [h.file, h.line, h.state, h.due, h.owner])).toEqual([
      ["customer-service/returns.md", 10, "current", "2027-02-01", "@sofie"],
      ["customer-service/returns.md", 11, "current", "2027-02-01", "@sofie"],
      ["customer-service/old-faq.md", 10, "expired", "2026-04-01", "@sofie"],
      // Weak matches (under half the best score) follow the good ones, current first.
      ["finance/refunds.md", 9, "due soon", "2026-12-01", null],
      ["marketing/launch.md", 12, "needs review", "2027-02-01", "@jonas"],
    ]);
    expect(result.hits[0]!.text).toBe("Returns are accepted within 30 days of delivery.");
    expect(result.hits[0]!.section).toBe("Returns");
    expect(result.hits[2]!.reason).toBe("review was due 2026-04-01 (237 days ago)");
    expect(result.hits[4]!.reason).toBe("marked for review by launch fw26; run kb verify after checking");
    // BM25 alone would put the expired file's fact first: freshness outranks it.
    expect(result.hits[2]!.score).toBeGreaterThan(result.hits[0]!.score);
    expect(result.hits[3]!.score).toBeLessThan(result.hits[2]!.score / 2);
  });

  it("puts a stale fact that answers the question before a current one that only shares a word", () => {
    const ctx = makeContext({ brain });
    const hits = openSearch(ctx).search("launch window for returns", { k: 3 }).hits;
    expect(hits[0]).toMatchObject({ file: "marketing/launch.md", state: "needs review" });
  });

  it("keeps the index in step with the brain: only changed files are reindexed", () => {
    const ctx = makeContext({ brain });
    const searcher = openSearch(ctx);
    expect(searcher.refresh()).toMatchObject({ indexed: 5, removed: 0, facts: 13, files: 5 });
    expect(searcher.refresh()).toMatchObject({ indexed: 0, removed: 0, facts: 0 });
    const abs = join(ctx.root, "brain/customer-service/returns.md");
    writeFileSync(
      abs,
      doc("title: Returns\nlast_reviewed: 2026-11-01", "## Returns\n\n- Exchanges are free within 30 days."),
    );
    rmSync(join(ctx.root, "brain/finance/refunds.md"));
    expect(searcher.refresh()).toMatchObject({ indexed: 1, removed: 1, facts: 1, files: 4 });
    const hits = searcher.search("refunds delivery", { k: 10 }).hits;
    expect(hits.map((h) => h.file).sort()).toEqual(["customer-service/old-faq.md", "marketing/launch.md"]);
    expect(searcher.search("exchanges").hits.map((h) => h.text)).toEqual([
      "Exchanges are free within 30 days.",
    ]);
  });

  it("limits to a scope: a configured dedup scope or a top-level folder", () => {
    const ctx = makeContext({
      brain,
      config: { dedup: { scopes: [{ name: "money", paths: ["finance/**"] }] } },
    });
    const searcher = openSearch(ctx);
    expect(searcher.search("returns", { scope: "money" }).hits.map((h) => h.file)).toEqual([
      "finance/refunds.md",
    ]);
    expect(searcher.search("returns", { scope: "marketing" }).hits.map((h) => h.file)).toEqual([
      "marketing/launch.md",
    ]);
    expect(() => searcher.search("returns", { scope: "_archive" })).toThrowErrorMatchingInlineSnapshot(
      `[UsageError: --scope "_archive" is neither a dedup scope (money) nor a top-level folder of the brain (company, customer-service, finance, marketing)]`,
    );
  });

  it("treats punctuation and FTS5 syntax in a query as plain words", () => {
    const ctx = makeContext({ brain });
    const searcher = openSearch(ctx);
    expect(searcher.search('"returns" AND (NEAR -delivery*) OR:').hits.length).toBeGreaterThan(0);
    expect(() => searcher.search("?! --")).toThrow(/has no words to search for/);
  });

  it("refuses a query of only common words (exit 2) instead of returning arbitrary facts", async () => {
    const ctx = makeContext({ brain });
    const r = await kbInProcess(["--config", join(ctx.root, "kb.config.yaml"), "search", "the"], ctx.root);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatchInlineSnapshot(`
      "kb search: search query "the" has no words to search for ("the" is too common to tell facts apart); give a word the facts would contain, e.g. "returns window"
      "
    `);
    expect(openSearch(ctx).search("what is the returns window").hits.length).toBeGreaterThan(0);
  });

  it("says so on an empty brain, an unreadable one and a missing one, never with a stack", async () => {
    const empty = makeContext({ brain: { "_archive/a.md": "- archived only\n" } });
    expect(openSearch(empty).search("archived").note).toMatch(
      /holds no markdown files outside _archive\/; nothing to search$/,
    );

    const broken = makeContext({ brain: { "a.md": "---\ntitle: [unclosed\n---\n- x\n" } });
    expect(openSearch(broken).search("x").note).toBe(
      "none of the brain's 1 markdown file(s) can be read; kb scan lists each one and why",
    );

    const root = makeTree({ "kb.config.yaml": "brain: ./missing\nstate: ./state\n" }, tempDir());
    const r = await kbInProcess(["search", "returns"], root);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^kb search: brain folder .*missing does not exist or is not a folder\n$/);
  });

  it("prints hits for people and JSON for programs", async () => {
    const ctx = makeContext({ brain });
    const text = await kbInProcess(["--as-of", "2026-11-24", "search", "launch", "--k", "2"], ctx.root);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatchInlineSnapshot(`
      "1. Launch orders have a 60-day window for returns after delivery.
         marketing/launch.md:12 · Returns · @jonas · NEEDS REVIEW
         marked for review by launch fw26; run kb verify after checking

      1 of these facts comes from a file past its review date or marked for review (EXPIRED, NEEDS REVIEW above): check it before relying on it.
      "
    `);
    const json = await kbInProcess(["--json", "search", "returns", "--k", "1"], ctx.root);
    expect(JSON.parse(json.stdout).hits).toHaveLength(1);
    const bad = await kbInProcess(["search", "returns", "--k", "0"], ctx.root);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('kb search: --k "0" is not valid; expected a whole number from 1 to 100\n');
  });
});

describe("kb search on common words", () => {
  // 30 facts about stores, 3 of them about Oslo opening hours: with a budget of 10 postings,
  // "store" and "opening" are common and "oslo" is rare.
  const facts = [
    ...Array.from(
      { length: 27 },
      (_, i) => `- The store in town ${i} keeps its opening stock in the back room.`,
    ),
    "- The Oslo store opening hours are 10:00 to 19:00.",
    "- Oslo prices include 25% VAT.",
    "- Oslo deliveries arrive on Wednesdays.",
  ].join("\n");
  const brain = {
    "retail/stores.md": doc(
      "title: Stores\nowner: '@astrid'\nlast_reviewed: 2026-11-01",
      `## Stores\n\n${facts}`,
    ),
  };

  it("finds the same best fact when the commonest words are left out of the ranking", () => {
    const ctx = makeContext({ brain });
    const exact = openSearch(ctx)
      .search("oslo store opening hours", { k: 3 })
      .hits.map((h) => h.text);
    const pruned = openSearch(ctx, { postingsBudget: 10 })
      .search("oslo store opening hours", { k: 3 })
      .hits.map((h) => h.text);
    expect(exact[0]).toBe("The Oslo store opening hours are 10:00 to 19:00.");
    expect(pruned).toEqual([
      "The Oslo store opening hours are 10:00 to 19:00.",
      "Oslo prices include 25% VAT.",
      "Oslo deliveries arrive on Wednesdays.",
    ]);
    // Only common words: the facts holding all of them.
    const common = openSearch(ctx, { postingsBudget: 10 }).search("store opening", { k: 2 }).hits;
    expect(common.every((h) => /store/i.test(h.text) && /opening/i.test(h.text))).toBe(true);
  });
});
