import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { evalRecall } from "../../src/eval/recall/run.js";
import { makeContext, repoRoot } from "../helpers/index.js";

/** The held-out set, worded as customers and colleagues ask, on the bundled brain. */
describe("kb eval recall on the natural-questions set", () => {
  it("answers at least 14 of the 16 in the top 6 with the brain's vocabulary, and docs quote both figures", async () => {
    const ctx = makeContext({ config: { brain: join(repoRoot, "brain"), ignore: ["README.md"] } });
    const set = join(repoRoot, "evals/recall-natural");
    const found = async (expand: boolean) => {
      const r = await evalRecall(ctx, { set, engine: "kb", k: 6, expand });
      return r.questions.filter((q) => q.rank !== null).length;
    };
    const [lexical, expanded] = [await found(false), await found(true)];
    expect(expanded).toBeGreaterThanOrEqual(14);
    expect(lexical).toBeLessThan(expanded);
    const page = readFileSync(join(repoRoot, "docs/search-and-mcp.md"), "utf8").replace(/\s+/g, " ");
    const quoted = /natural-questions set: (\d+) of 16 on the questions' own words, (\d+) of 16/.exec(page);
    expect(quoted?.slice(1).map(Number), "docs/search-and-mcp.md quotes other figures").toEqual([
      lexical,
      expanded,
    ]);
  });
});
