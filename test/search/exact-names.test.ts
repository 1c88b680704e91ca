import { describe, expect, it } from "vitest";
import { exactNames } from "../../src/search/query.js";
import { openSearch } from "../../src/search/search.js";
import { makeContext } from "../helpers/index.js";

const brain = {
  "company/people.md": [
    "## People",
    "",
    "- Ingrid Wells runs HR.",
    "- Lars Olsen runs finance.",
    "- Mia Banks leads the Oslo store.",
  ].join("\n"),
  "company/cafe.md": [
    "## Café",
    "",
    "- The café is doing well this winter.",
    "- Lard is not used in the café.",
    "- Banking for the café is with Danske Bank.",
    "- Returned cups are washed at the Oslo store.",
  ].join("\n"),
};

const texts = (query: string) =>
  openSearch(makeContext({ brain }))
    .search(query, { k: 10 })
    .hits.map((h) => h.text);

describe("kb search holds names and codes to their exact form", () => {
  it("finds a capitalised name only where the name is written, not a word of the same stem", () => {
    // The stemmer makes "Wells" "well" and "Banks" "bank": without exact names these find the café.
    expect(texts("who is Wells")).toEqual(["Ingrid Wells runs HR."]);
    expect(texts("where does Banks work")).toEqual(["Mia Banks leads the Oslo store."]);
    expect(texts("who is Lars")).toEqual(["Lars Olsen runs finance."]);
  });

  it("still stems every other word: returns finds returned, and a lower-case name is a word", () => {
    expect(texts("returns")).toEqual(["Returned cups are washed at the Oslo store."]);
    expect(texts("who is wells")).toEqual(["Ingrid Wells runs HR.", "The café is doing well this winter."]);
  });

  it("takes as names: capitalised words past a sentence's start, acronyms and codes; title case names nothing", () => {
    expect(exactNames("Who is Wells? Banks knows. FW26 and HR")).toEqual(["wells", "fw26", "hr"]);
    expect(exactNames("Gift Card Validity")).toEqual([]);
    expect(exactNames("gift card validity")).toEqual([]);
  });
});
