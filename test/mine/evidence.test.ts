import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type MineData, run as mineJob } from "../../jobs/mine.js";
import { gitOut } from "../../src/runtime/git.js";
import { reply, startOpenAiServer } from "../helpers/openai-server.js";
import { mineEnv, OC_HEADER, ocLine } from "./env.js";

const LOG =
  OC_HEADER +
  ocLine(
    "b0000001",
    null,
    "2026-11-20T09:01:00.000Z",
    "user",
    "Refunds to Klarna take 5 business days to show up.",
  ) +
  ocLine(
    "b0000002",
    "b0000001",
    "2026-11-20T09:02:00.000Z",
    "assistant",
    "Noted, five business days for Klarna.",
  );

const FACT = {
  op: "add",
  path: "finance/payments.md",
  section: "Payouts",
  text: "Klarna refunds take 5 business days to show up.",
};

describe("evidence in the reply contract", () => {
  it("asks once more when facts come without evidence, then writes the grounded fact and keeps its full record", async () => {
    const llm = await startOpenAiServer({
      cheap: [
        reply({ ops: [FACT] }),
        reply({ ops: [{ ...FACT, evidence: "Refunds to Klarna take 5 business days to show up." }] }),
      ],
    });
    const ctx = await mineEnv({ llmUrl: llm.url, logs: { "finance/s.jsonl": LOG } });
    const data = (await mineJob(ctx, { mode: "apply" })).data as MineData;
    expect(llm.count()).toBe(2);
    expect(data.llm).toMatchObject({ calls: 2, attempts: 2 });
    const repair = (llm.requests[1]!.body.messages as { role: string; content: string }[]).at(-1)!;
    expect(repair.content).toMatchInlineSnapshot(
      `"1 add/supersede operation(s) have no "evidence". Reply again with JSON only, exactly {"ops":[...]}, giving each add and supersede an "evidence" field: a verbatim quote of at most 200 characters from the log that states the fact. Leave out any fact the log does not state."`,
    );
    expect(data.rejected).toEqual([]);
    expect(await gitOut(["-C", ctx.root, "show", "HEAD:brain/finance/payments.md"])).toContain(
      "- Klarna refunds take 5 business days to show up. <!-- kb: finance 2026-11-20 s-1/b0000001 -->",
    );
    const row = ctx.db().prepare("SELECT * FROM mine_facts").get() as Record<string, unknown>;
    const head = await gitOut(["-C", ctx.root, "rev-parse", "HEAD"]);
    expect({ ...row, source_file: String(row.source_file).replace(ctx.root, "<root>") }).toEqual({
      id: 1,
      run_id: 1,
      op: "add",
      path: "finance/payments.md",
      text: "Klarna refunds take 5 business days to show up.",
      norm: "klarna refunds take 5 business days to show up",
      supersedes: null,
      archived_to: null,
      agent: "finance",
      source_file: "<root>/logs/finance/s.jsonl",
      session: "s-1",
      entries: JSON.stringify([
        {
          key: "b0000001@2026-11-20T09:01:00.000Z",
          at: "2026-11-20T09:01:00.000Z",
          session: "s-1",
          entryId: "b0000001",
        },
      ]),
      entry_at: "2026-11-20T09:01:00.000Z",
      quote: "Refunds to Klarna take 5 business days to show up.",
      model: "cheap",
      mode: "apply",
      branch: null,
      commit_sha: head,
      mined_at: "2026-11-24T12:00:00.000Z",
    });
  });

  it("refuses a fact the model never grounds (after the one repair) and one whose quote lacks its number, and counts them", async () => {
    const llm = await startOpenAiServer({
      cheap: [
        reply({
          ops: [
            FACT,
            { ...FACT, text: "Klarna refunds take 7 business days.", evidence: "Refunds to Klarna take" },
          ],
        }),
        // A null evidence counts as none.
        reply({
          ops: [
            { ...FACT, evidence: null },
            { ...FACT, text: "Klarna refunds take 7 business days.", evidence: "Refunds to Klarna take" },
          ],
        }),
      ],
    });
    const ctx = await mineEnv({ llmUrl: llm.url, logs: { "finance/s.jsonl": LOG } });
    const out = await mineJob(ctx, { mode: "apply" });
    const data = out.data as MineData;
    expect(llm.count()).toBe(2);
    expect(data.ops).toEqual([]);
    expect(data.rejected).toMatchInlineSnapshot(`
      [
        {
          "detail": "no evidence for "Klarna refunds take 5 business days to show up."",
          "reason": "UNGROUNDED",
        },
        {
          "detail": "evidence does not support the number "7" in "Klarna refunds take 7 business days." (quote: "Refunds to Klarna take")",
          "reason": "UNGROUNDED",
        },
      ]
    `);
    expect(out.counts).toMatchObject({ rejected: 2, ungrounded: 2 });
    expect(ctx.db().prepare("SELECT reason FROM mine_rejections").all()).toEqual([
      { reason: "UNGROUNDED" },
      { reason: "UNGROUNDED" },
    ]);
    expect(ctx.db().prepare("SELECT COUNT(*) AS n FROM mine_facts").get()).toEqual({ n: 0 });
    expect(readFileSync(data.report!, "utf8")).toContain(
      "0 added, 0 superseded, 0 already known, 2 rejected (2 ungrounded)",
    );
  });

  it("makes no repair request when every fact carries evidence, grounded or not", async () => {
    const llm = await startOpenAiServer({
      cheap: [reply({ ops: [{ ...FACT, evidence: "Refunds to Klarna take 9 business days" }] })],
    });
    const ctx = await mineEnv({ llmUrl: llm.url, logs: { "finance/s.jsonl": LOG } });
    const data = (await mineJob(ctx, { mode: "apply" })).data as MineData;
    expect(llm.count()).toBe(1);
    expect(data.rejected).toEqual([
      {
        reason: "UNGROUNDED",
        detail: 'evidence not in the log excerpt for "Klarna refunds take 5 business days to show up."',
      },
    ]);
  });
});
