import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { loadRecallSet } from "../../src/eval/recall/questions.js";
import { evalRecall } from "../../src/eval/recall/run.js";
import { inOtherPass, makeContext, repoRoot, skipping, tempDir } from "../helpers/index.js";
import { openclaw } from "../helpers/openclaw.js";

/**
 * The `openclaw` engine against the real OpenClaw (its own Node 24 and package, see the README).
 * Installed by scripts/openclaw-env.sh; when it cannot be installed these tests fail, never skip.
 */
let command = "";
const elsewhere = skipping("kb eval recall --engine openclaw", inOtherPass("openclaw"));
beforeAll(() => {
  if (elsewhere) return;
  const { node, mjs } = openclaw(); // installs the real OpenClaw into the cache, or fails saying why
  command = `${node} ${mjs}`;
}, 600_000);

const doc = (fm: string, body: string) => `---\n${fm}\n---\n\n${body}\n`;

describe.skipIf(elsewhere)("kb eval recall --engine openclaw (the real openclaw memory search)", () => {
  it("indexes once, searches every question, never sees _archive/ or dot-folders", async () => {
    const ctx = makeContext({
      brain: {
        "finance/payments.md": doc(
          "title: Payments\nowner: '@lars'\nlast_reviewed: 2026-11-01",
          "## Payouts\n\n- From 2026-12-01 Adyen pays out on Tuesdays and Fridays instead of daily.",
        ),
        "retail/stores/oslo.md": doc(
          "title: Oslo store\nowner: '@astrid'\nlast_reviewed: 2026-11-01",
          "## Store notes\n\n- Online orders shipped to Norway or Sweden can be returned in the Oslo store.",
        ),
        "_archive/finance/payments.md": doc(
          "title: Payments (archived)",
          "## Payouts\n\n- Adyen pays out every weekday morning to the Danske Bank account.",
        ),
        ".drafts/oslo.md": "- Oslo returns are handled by the Bergen depot.\n",
      },
    });
    const setDir = tempDir("kb-recall-set-");
    const bundled = loadRecallSet(join(repoRoot, "evals/recall")).questions.filter((q) =>
      ["adyen-payouts", "oslo-online-returns"].includes(q.id),
    );
    const questions = [
      ...bundled,
      {
        id: "archived-only",
        question: "Does Adyen pay out every weekday morning?",
        answer: "every weekday morning",
      },
      { id: "dot-folder", question: "Which depot handles Oslo returns?", answer: "Bergen depot" },
    ].map((q) => ({
      id: q.id,
      question: q.question,
      answer: q.answer,
      ...("stale" in q && q.stale.length ? { stale: q.stale } : {}),
    }));
    writeFileSync(join(setDir, "questions.yaml"), stringify(questions));

    // One OpenClaw at a time: each search start-up also catches the index up, and they may contend.
    const r = await evalRecall(ctx, {
      set: setDir,
      engine: "openclaw",
      k: 6,
      openclaw: { command, concurrency: 1 },
    });
    expect(
      r.questions.map((q) => [q.id, q.rank !== null]),
      JSON.stringify(r.questions.map((q) => q.hits)),
    ).toEqual([
      ["adyen-payouts", true],
      ["oslo-online-returns", true],
      ["archived-only", false],
      ["dot-folder", false],
    ]);
    const files = new Set(r.questions.flatMap((q) => q.hits.map((h) => h.file)));
    expect([...files].sort()).toEqual(["finance/payments.md", "retail/stores/oslo.md"]);
    expect(r.score.tokensPerQuestion).toBeGreaterThan(0);
  }, 300_000);

  it("on the bundled brain: reads the live tree only, not _archive/ or the README the config ignores", async () => {
    const ctx = makeContext({ config: { brain: join(repoRoot, "brain"), ignore: ["README.md"] } });
    const setDir = tempDir("kb-recall-set-");
    const picked = loadRecallSet(join(repoRoot, "evals/recall")).questions.filter((q) =>
      // One search each (an OpenClaw start-up, about 11 s): a dated change and a superseded range.
      ["winter-sale-end", "latest-collection"].includes(q.id),
    );
    writeFileSync(
      join(setDir, "questions.yaml"),
      stringify(
        picked.map((q) => ({
          id: q.id,
          question: q.question,
          answer: q.answer,
          ...(q.stale.length ? { stale: q.stale } : {}),
        })),
      ),
    );
    const r = await evalRecall(ctx, { set: setDir, engine: "openclaw", k: 6, openclaw: { command } });
    const files = r.questions.flatMap((q) => q.hits.map((h) => h.file));
    expect(files.length).toBeGreaterThan(0);
    expect(
      files.filter(
        (f) => f.startsWith("_archive/") || f === "README.md" || f.startsWith("/") || f.startsWith(".."),
      ),
    ).toEqual([]);
    expect(r.score.recall).toBeGreaterThan(0);
  }, 300_000);
});
