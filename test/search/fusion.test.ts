import { describe, expect, it } from "vitest";
import { fuse, nearest, RRF_K } from "../../src/search/fusion.js";
import { dot, unit } from "../../src/search/vectors.js";

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

describe("nearest facts by vector", () => {
  it("returns the same best n, in the same order, as sorting every fact", () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31 - 0.5;
    };
    const facts = Array.from({ length: 500 }, (_, i) => ({
      id: i,
      path: `f${i % 7}.md`,
      line: i,
      section: "",
      text: `fact ${i}`,
      // A few exact ties: every tenth fact repeats the one before it.
      vector: new Float32Array(8),
    }));
    for (const [i, f] of facts.entries())
      for (let d = 0; d < 8; d++) f.vector[d] = i % 10 === 9 ? facts[i - 1]!.vector[d]! : random();
    const query = unit(Float32Array.from({ length: 8 }, random));
    const sorted = facts
      .map((f) => ({ ...f, similarity: dot(query, f.vector) }))
      .sort((a, b) => b.similarity - a.similarity);
    for (const n of [0, 1, 5, 60, 500, 600])
      expect(nearest(query, facts, n).map((f) => f.id)).toEqual(sorted.slice(0, n).map((f) => f.id));
  });
});
