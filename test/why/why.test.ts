import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run as dedupJob } from "../../jobs/dedup.js";
import { type MineData, run as mineJob } from "../../jobs/mine.js";
import { run as acceptCmd } from "../../src/cli/commands/accept.js";
import { run as whyCmd } from "../../src/cli/commands/why.js";
import type { CommandOutput } from "../../src/cli/types.js";
import { git } from "../../src/runtime/git.js";
import type { FactStory } from "../../src/why/story.js";
import { runKb } from "../helpers/index.js";
import { type RecordedRequest, reply, startOpenAiServer } from "../helpers/openai-server.js";
import { mineEnv, OC_HEADER, ocLine } from "../mine/env.js";

const LOG =
  OC_HEADER +
  ocLine(
    "a0000001",
    null,
    "2026-11-20T09:01:00.000Z",
    "user",
    "From next Tuesday Adyen pays out on Tuesdays and Fridays instead of daily.",
  ) +
  ocLine("a0000002", "a0000001", "2026-11-20T09:02:00.000Z", "assistant", "Noted.") +
  ocLine(
    "a0000003",
    "a0000002",
    "2026-11-20T09:03:00.000Z",
    "user",
    "Also: sale items bought in the winter sale can be returned within 30 days.",
  );

function idIn(req: RecordedRequest, fact: string): number {
  const prompt = (req.body.messages as { content: string }[])[1]!.content;
  return Number(/^(\d+)\./.exec(prompt.split("\n").find((l) => l.includes(fact)) ?? "")?.[1] ?? -1);
}

const model = (req: RecordedRequest) =>
  reply({
    ops: [
      {
        op: "supersede",
        id: idIn(req, "Adyen pays out daily"),
        text: "From 2026-11-24 Adyen pays out on Tuesdays and Fridays instead of daily.",
        evidence: "From next Tuesday Adyen pays out on Tuesdays and Fridays instead of daily.",
      },
      {
        op: "add",
        path: "customer-service/policies/returns.md",
        section: "Returns",
        text: "Sale items bought in the winter sale can be returned within 30 days.",
        evidence: "sale items bought in the winter sale can be returned within 30 days",
      },
    ],
  });

/** Story text with what changes from run to run (commit ids, today's date, the temp folder) masked. */
function shown(out: CommandOutput, root: string): string {
  const today = new Date().toISOString().slice(0, 10);
  return out.text
    .replaceAll(root, "<root>")
    .replace(/\b[0-9a-f]{10}\b/g, "<sha>")
    .replaceAll(today, "<today>")
    .replace(/<today> \d\d:\d\dZ/g, "<today> hh:mmZ");
}

const stories = (out: CommandOutput) => (out.data as { facts: FactStory[] }).facts;

describe("kb why", () => {
  it("tells a mined fact's story: entry, quote, model, run, review branch and who accepted it, what it superseded", async () => {
    const llm = await startOpenAiServer({ cheap: model });
    const ctx = await mineEnv({ llmUrl: llm.url, logs: { "finance/s.jsonl": LOG } });
    const data = (await mineJob(ctx, {})).data as MineData;
    // Before it is accepted the fact lives on the review branch only.
    await acceptCmd(ctx, { args: [data.branch!], opts: {} });

    const line =
      readFileSync(join(ctx.config.brain, "finance/payments.md"), "utf8")
        .split("\n")
        .findIndex((l) => l.includes("Tuesdays")) + 1;
    const mined = await whyCmd(ctx, { args: [`finance/payments.md:${line}`], opts: {} });
    expect(shown(mined, ctx.root)).toMatchInlineSnapshot(`
      "finance/payments.md:11  From 2026-11-24 Adyen pays out on Tuesdays and Fridays instead of daily.
        provenance: finance 2026-11-20 s-1/a0000001
        mined: supersede in run 1 (2026-11-24 12:00Z) by model cheap, from finance's log <root>/logs/finance/s.jsonl
          source: session s-1 · entry a0000001 · 2026-11-20 09:01Z
          quote: "From next Tuesday Adyen pays out on Tuesdays and Fridays instead of daily."
          review branch kb/mine/2026-11-24-test, accepted by kb accept <kb-accept@test> <today> hh:mmZ (<sha>)
        supersedes: "Adyen pays out daily to the Danske Bank EUR account." (archived to _archive/finance/payments.md), run 1
        git: last changed by <sha> kb mine <kb-mine@test> <today> hh:mmZ "kb mine: 2 change(s) from finance"
        file last reviewed: never (no last_reviewed)
        read: never on this host (kb search, kb mcp, OpenClaw memory tools)"
    `);
    const story = stories(mined)[0]!;
    expect(story.mined[0]).toMatchObject({
      op: "supersede",
      model: "cheap",
      runId: 1,
      session: "s-1",
      entries: [{ entryId: "a0000001", at: "2026-11-20T09:01:00.000Z" }],
      quote: "From next Tuesday Adyen pays out on Tuesdays and Fridays instead of daily.",
      acceptance: { state: "accepted", merge: { author: "kb accept", email: "kb-accept@test" } },
    });

    // The replaced fact, in the archive, by its text: what superseded it.
    const old = await whyCmd(ctx, {
      args: ["Adyen pays out daily to the Danske Bank EUR account."],
      opts: {},
    });
    expect(
      stories(old).map((s) => [s.fact.path, s.fact.archived, s.supersededBy.map((x) => x.text)]),
    ).toEqual([
      [
        "_archive/finance/payments.md",
        true,
        ["From 2026-11-24 Adyen pays out on Tuesdays and Fridays instead of daily."],
      ],
    ]);
    expect(shown(old, ctx.root)).toMatchInlineSnapshot(`
      "_archive/finance/payments.md:10  Adyen pays out daily to the Danske Bank EUR account.  (archived)
        superseded by: "From 2026-11-24 Adyen pays out on Tuesdays and Fridays instead of daily." in finance/payments.md (finance, run 1, 2026-11-24 12:00Z)
        git: last changed by <sha> kb mine <kb-mine@test> <today> hh:mmZ "kb mine: 2 change(s) from finance"
        file last reviewed: never (no last_reviewed)
        read: never on this host (kb search, kb mcp, OpenClaw memory tools)
        note: no mining record and no provenance: written by hand (or mined on another host before kb kept evidence)"
    `);
  });

  it("shows the facts dedup merged into a mined fact, with their provenance", async () => {
    const llm = await startOpenAiServer({ cheap: model });
    const ctx = await mineEnv({
      llmUrl: llm.url,
      logs: { "finance/s.jsonl": LOG },
      config: { dedup: { scopes: [{ name: "all", paths: ["**"] }] } },
    });
    await mineJob(ctx, { mode: "apply" });
    // A person wrote the same rule elsewhere, from an older conversation.
    writeFileSync(
      join(ctx.config.brain, "customer-service/faq.md"),
      "# FAQ\n\n## Returns\n\n- Sale items bought in the winter sale can be returned within 30 days <!-- kb: customer-service 2026-11-02 -->\n",
    );
    await git(["-C", ctx.root, "add", "brain"]);
    await git([
      "-C",
      ctx.root,
      "-c",
      "user.name=Sofie",
      "-c",
      "user.email=sofie@fjordfinch.example",
      "commit",
      "-qm",
      "FAQ",
    ]);
    await dedupJob(ctx, {});
    const out = await whyCmd(ctx, {
      args: ["sale items bought in the winter sale can be returned within 30 days"],
      opts: {},
    });
    const [story] = stories(out);
    expect(story!.merged).toMatchObject([
      {
        path: "customer-service/faq.md",
        line: 5,
        text: "Sale items bought in the winter sale can be returned within 30 days",
        provenance: [{ agent: "customer-service", date: "2026-11-02" }],
      },
    ]);
    expect(story!.fact.provenance).toEqual([
      { agent: "customer-service", date: "2026-11-02" },
      { agent: "finance", date: "2026-11-20", ref: "s-1/a0000003" },
    ]);
    expect(shown(out, ctx.root)).toMatchInlineSnapshot(`
      "customer-service/policies/returns.md:13  Sale items bought in the winter sale can be returned within 30 days.
        provenance: customer-service 2026-11-02; finance 2026-11-20 s-1/a0000003
        mined: add in run 1 (2026-11-24 12:00Z) by model cheap, from finance's log <root>/logs/finance/s.jsonl
          source: session s-1 · entry a0000003 · 2026-11-20 09:03Z
          quote: "sale items bought in the winter sale can be returned within 30 days"
          applied directly in <sha> kb mine <kb-mine@test> <today> hh:mmZ "kb mine: 2 change(s) from finance"
        merged by dedup run 2 (2026-11-24 12:00Z): "Sale items bought in the winter sale can be returned within 30 days" from customer-service/faq.md:5 (score 1; provenance customer-service 2026-11-02)
        git: last changed by <sha> kb mine <kb-mine@test> <today> hh:mmZ "kb mine: 2 change(s) from finance"
        file last reviewed: never (no last_reviewed)
        read: never on this host (kb search, kb mcp, OpenClaw memory tools)"
    `);
  });

  it("says when a fact has no record and shows what git knows; names bad targets", async () => {
    const ctx = await mineEnv({});
    const out = await whyCmd(ctx, { args: ["finance/payments.md:12"], opts: {} });
    expect(shown(out, ctx.root)).toMatchInlineSnapshot(`
      "finance/payments.md:12  Card payments settle in EUR.
        git: last changed by <sha> t <t@t> <today> hh:mmZ "brain"
        file last reviewed: never (no last_reviewed)
        read: never on this host (kb search, kb mcp, OpenClaw memory tools)
        note: no mining record and no provenance: written by hand (or mined on another host before kb kept evidence)"
    `);
    expect(stories(out)[0]!.git).toMatchObject({ author: "t", email: "t@t", subject: "brain" });
    // The built binary, for tools: --json.
    const cli = await runKb(
      ["--config", join(ctx.root, "kb.config.yaml"), "--json", "why", "Card payments settle in EUR."],
      {
        cwd: ctx.root,
      },
    );
    expect(cli.code).toBe(0);
    expect(
      JSON.parse(cli.stdout).facts.map((f: FactStory) => [f.fact.path, f.fact.line, f.mined, f.notes.length]),
    ).toEqual([["finance/payments.md", 12, [], 1]]);
    const notFact = await whyCmd(ctx, { args: ["finance/payments.md:9"], opts: {} }).catch((e) => e);
    expect([notFact.exitCode, notFact.message]).toMatchInlineSnapshot(`
      [
        2,
        "line 9 of finance/payments.md is not a fact; facts start on lines 11, 12",
      ]
    `);
    const none = await whyCmd(ctx, { args: ["Payouts are made in gold."], opts: {} }).catch((e) => e);
    expect([none.exitCode, none.message]).toMatchInlineSnapshot(`
      [
        2,
        "no fact in the brain reads "Payouts are made in gold."; give FILE:LINE, or part of the fact's text",
      ]
    `);
  });
});
