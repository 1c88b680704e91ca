import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { run as runDedupJob } from "../../jobs/dedup.js";
import { run as undoCommand } from "../../src/cli/commands/undo.js";
import { makeContext } from "../helpers/index.js";

/** The two files a new user tried: role swaps, near-identical lines, a small catalog. */
const STORE = [
  "# Store",
  "",
  "- The turtle is following the fish.",
  "- The fish is following the turtle.",
  "- Free EU shipping above €60.",
  "- Free EU shipping above €60!",
  "- Oslo store opens at 10:00 on Saturdays.",
  "- The Oslo store opens at 10:00 on Saturdays.",
  "",
].join("\n");
const CATALOG = [
  "# Catalog",
  "",
  "- SKU 1001 (linen shirt, white) costs €50.",
  "- SKU 1002 (linen shirt, blue) costs €60.",
  "- Order 55123 was refunded on 2026-11-02.",
  "- Order 55124 was refunded on 2026-11-03.",
  "",
].join("\n");

type Data = {
  runId: number;
  removed: { path: string; text: string }[];
  contradictions: { a: { text: string }; b: { text: string }; reason: string }[];
  review: { a: { text: string }; b: { text: string }; reason: string }[];
};

function brain() {
  return makeContext({
    brain: { "store.md": STORE, "catalog.md": CATALOG },
    config: { dedup: { maxRemoveShare: 0.9 } },
  });
}

describe("kb dedup on the brain from the report", () => {
  test("removes only true duplicates; the role swap goes to review; the catalog has no contradictions", async () => {
    const data = (await runDedupJob(brain(), { dryRun: true })).data as Data;
    expect(data.removed.map((r) => r.text)).toEqual([
      "Free EU shipping above €60!",
      "Oslo store opens at 10:00 on Saturdays.",
    ]);
    expect(data.contradictions).toEqual([]);
    expect(data.review.map((p) => `${p.a.text} | ${p.b.text} | ${p.reason}`)).toEqual([
      "The turtle is following the fish. | The fish is following the turtle. | word order differs (turtle / fish)",
    ]);
  });

  test("kb undo restores the exact bytes of a file that lost several facts", async () => {
    const ctx = brain();
    const data = (await runDedupJob(ctx, {})).data as Data;
    const n = data.removed.length;
    expect(n).toBeGreaterThanOrEqual(2);
    const file = join(ctx.config.brain, "store.md");
    expect(readFileSync(file, "utf8")).not.toBe(STORE);
    const out = await undoCommand(ctx, { args: [String(data.runId)], opts: {} });
    expect(out.text).toBe(
      `undo run ${data.runId}: restored ${n} fact${n === 1 ? "" : "s"} in 1 file\n  store.md: exactly as before the run`,
    );
    expect(out.exitCode).toBe(0);
    expect(readFileSync(file, "utf8")).toBe(STORE);
  });
});
