import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type MineData, run as mineJob } from "../../jobs/mine.js";
import { gitOut } from "../../src/runtime/git.js";
import { reply, startOpenAiServer } from "../helpers/openai-server.js";
import { mineEnv, OC_HEADER, ocLine } from "./env.js";

const LOG =
  OC_HEADER +
  ocLine(
    "a0000001",
    null,
    "2026-11-20T09:01:00.000Z",
    "user",
    "From next Tuesday Adyen pays out on Tuesdays and Fridays instead of daily.",
  ) +
  ocLine("a0000002", "a0000001", "2026-11-20T09:02:00.000Z", "assistant", "[[reply_to_current]] Noted.") +
  ocLine(
    "a0000003",
    "a0000002",
    "2026-11-20T09:03:00.000Z",
    "user",
    "Also: FW26 coats bought in December can be returned until 2027-01-31.",
  );

/** The id the prompt gave a fact, read from the recorded request. */
function idIn(body: Record<string, unknown>, fact: string): number {
  const prompt = (body.messages as { content: string }[])[1]!.content;
  const line = prompt.split("\n").find((l) => l.includes(fact));
  return Number(/^(\d+)\./.exec(line ?? "")?.[1] ?? -1);
}

describe("kb mine, review mode", () => {
  it("commits added and superseded facts to a review branch and leaves the main tree alone", async () => {
    const llm = await startOpenAiServer({
      cheap: (req) =>
        reply({
          ops: [
            {
              op: "supersede",
              id: idIn(req.body, "Adyen pays out daily"),
              text: "From 2026-11-24 Adyen pays out on Tuesdays and Fridays instead of daily.",
              evidence: "From next Tuesday Adyen pays out on Tuesdays and Fridays instead of daily.",
            },
            {
              op: "add",
              path: "customer-service/policies/returns.md",
              section: "Returns",
              text: "FW26 coats bought in December 2026 can be returned until 2027-01-31.",
              evidence: "FW26 coats bought in December can be returned until 2027-01-31",
            },
            { op: "noop" },
          ],
        }),
    });
    const ctx = await mineEnv({ llmUrl: llm.url, logs: { "finance/s1.jsonl": LOG } });
    const before = readFileSync(join(ctx.root, "brain/finance/payments.md"), "utf8");
    const out = await mineJob(ctx, {});
    const data = out.data as MineData;
    expect(data.entries).toEqual({ read: 3, mined: 3, skipped: 0 });
    expect(data.llm).toMatchObject({ calls: 1, attempts: 1 });
    expect(data.ops.map((o) => [o.op, o.path])).toEqual([
      ["supersede", "finance/payments.md"],
      ["add", "customer-service/policies/returns.md"],
    ]);
    expect(data.branch).toBe("kb/mine/2026-11-24-test");
    // Main working tree untouched; the branch holds the change.
    expect(readFileSync(join(ctx.root, "brain/finance/payments.md"), "utf8")).toBe(before);
    expect(await gitOut(["-C", ctx.root, "rev-parse", "--abbrev-ref", "HEAD"])).toBe("main");
    const onBranch = await gitOut([
      "-C",
      ctx.root,
      "show",
      "kb/mine/2026-11-24-test:brain/finance/payments.md",
    ]);
    expect(onBranch).toMatchInlineSnapshot(`
      "---
      title: Payments
      owner: "@lars.finance"
      updated: 2026-11-24
      ---

      # Payments

      ## Payouts

      - From 2026-11-24 Adyen pays out on Tuesdays and Fridays instead of daily. <!-- kb: finance 2026-11-20 s-1/a0000001 -->
      - Card payments settle in EUR."
    `);
    const archived = await gitOut([
      "-C",
      ctx.root,
      "show",
      "kb/mine/2026-11-24-test:brain/_archive/finance/payments.md",
    ]);
    expect(archived).toMatchInlineSnapshot(`
      "---
      status: archived
      updated: 2026-11-24
      ---

      # Archive: finance/payments.md

      ## Superseded 2026-11-24

      - Adyen pays out daily to the Danske Bank EUR account."
    `);
    const diff = await gitOut([
      "-C",
      ctx.root,
      "diff",
      "main",
      "kb/mine/2026-11-24-test",
      "--",
      "brain/customer-service",
    ]);
    expect(diff).toMatchInlineSnapshot(`
      "diff --git a/brain/customer-service/policies/returns.md b/brain/customer-service/policies/returns.md
      index 7e5ee11..3a0831b 100644
      --- a/brain/customer-service/policies/returns.md
      +++ b/brain/customer-service/policies/returns.md
      @@ -1,7 +1,7 @@
       ---
       title: Returns
       owner: "@sofie.cs"
      -updated: 2026-10-01
      +updated: 2026-11-24
       ---
       
       # Returns
      @@ -10,3 +10,4 @@ updated: 2026-10-01
       
       - Customers can return items within 30 days of delivery.
       - Sale items can be returned within 14 days.
      +- FW26 coats bought in December 2026 can be returned until 2027-01-31. <!-- kb: finance 2026-11-20 s-1/a0000003 -->"
    `);
    expect(
      await gitOut(["-C", ctx.root, "log", "-1", "--format=%an%n%B", "kb/mine/2026-11-24-test"]),
    ).toMatchInlineSnapshot(`
      "kb mine
      kb mine: 2 change(s) from finance

      - supersede finance/payments.md: From 2026-11-24 Adyen pays out on Tuesdays and Fridays instead of daily.
        > From next Tuesday Adyen pays out on Tuesdays and Fridays instead of daily.
        — finance · session s-1 · entry a0000001 · 2026-11-20 09:01
      - add customer-service/policies/returns.md: FW26 coats bought in December 2026 can be returned until 2027-01-31.
        > FW26 coats bought in December can be returned until 2027-01-31
        — finance · session s-1 · entry a0000003 · 2026-11-20 09:03

      Kb-Mine-Checkpoint: 1.1/review"
    `);
    expect(readFileSync(data.report, "utf8")).toMatchInlineSnapshot(`
      "# kb mine 2026-11-24 (test)

      1 added, 1 superseded, 0 already known, 0 rejected · 3 of 3 new log entries mined · 1 LLM calls (1 attempts), 120 tokens, $0.0001

      Mode: review · branch \`kb/mine/2026-11-24-test\` (merge with \`kb accept kb/mine/2026-11-24-test\`, drop with \`kb reject kb/mine/2026-11-24-test\`)

      ## Added

      - \`customer-service/policies/returns.md\`: FW26 coats bought in December 2026 can be returned until 2027-01-31.
        > FW26 coats bought in December can be returned until 2027-01-31
        — finance · session s-1 · entry a0000003 · 2026-11-20 09:03

      ## Superseded

      - \`finance/payments.md\`: From 2026-11-24 Adyen pays out on Tuesdays and Fridays instead of daily.
        > From next Tuesday Adyen pays out on Tuesdays and Fridays instead of daily.
        — finance · session s-1 · entry a0000001 · 2026-11-20 09:01
        - was: Adyen pays out daily to the Danske Bank EUR account. (archived to \`_archive/finance/payments.md\`)

      ## Cost

      | model | calls | attempts | prompt tokens | completion tokens | cost |
      |---|---:|---:|---:|---:|---:|
      | cheap | 1 | 1 | 100 | 20 | $0.0001 |

      ## Sources

      | agent | kind | files | new entries read | compressed decoded | gated (not sent) | re-read (rotated/truncated) | gone |
      |---|---|---:|---|---:|---|---:|---:|
      | finance | openclaw-jsonl | 1 | jsonl 3 | 0 | 0 | 0 | 0 |
      "
    `);
    expect(existsSync(join(ctx.root, "state", "mine-worktree-1"))).toBe(false);

    // A second run with no new entries makes no LLM call.
    const again = (await mineJob(ctx, {})).data as MineData;
    expect(again.entries).toEqual({ read: 0, mined: 0, skipped: 0 });
    expect(llm.count()).toBe(1);
  });
});
