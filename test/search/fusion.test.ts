import { describe, expect, it } from "vitest";
import { fuse, RRF_K } from "../../src/search/fusion.js";

const row = (line: number, score = 0) => ({
  path: "a.md",
  line,
  section: "",
  text: `fact ${line}`,
  rank: -score,
  score,
});

describe("reciprocal rank fusion", () => {
  it("adds 1/(60 + rank) over both lists, says which list found each fact, and keeps each list's good matches", () => {
    const fused = fuse([row(1, 10), row(2, 6), row(3, 1)], [row(3), row(4)], 0.5);
    expect(fused.map((r) => [r.line, r.via, r.ranks, r.relevant, r.score])).toEqual([
      [3, "both", { lexical: 3, vector: 1 }, true, 1 / (RRF_K + 3) + 1 / (RRF_K + 1)],
      [1, "lexical", { lexical: 1, vector: null }, true, 1 / (RRF_K + 1)],
      [2, "lexical", { lexical: 2, vector: null }, true, 1 / (RRF_K + 2)],
      [4, "vector", { lexical: null, vector: 2 }, false, 1 / (RRF_K + 2)],
    ]);
  });
});
