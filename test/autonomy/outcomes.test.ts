import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type MineData, run as mineJob } from "../../jobs/mine.js";
import type { AutonomyReport } from "../../src/autonomy/report.js";
import { run as acceptCmd } from "../../src/cli/commands/accept.js";
import { run as autonomyCmd } from "../../src/cli/commands/autonomy.js";
import { run as rejectCmd } from "../../src/cli/commands/reject.js";
import { run as statusCmd } from "../../src/cli/commands/status.js";
import { run as syncCmd } from "../../src/cli/commands/sync.js";
import { openAlerts } from "../../src/runtime/alerts.js";
import { gitOut } from "../../src/runtime/git.js";
import type { TestContext } from "../helpers/index.js";
import { reply, startOpenAiServer } from "../helpers/openai-server.js";
import { mineEnv } from "../mine/env.js";
import { growingLog, SEED, twoMiningHosts } from "./env.js";

const add = (text: string, path = "finance/payments.md") =>
  reply({ ops: [{ op: "add", path, section: "Payouts", text, evidence: text }] });

async function table(ctx: TestContext) {
  const r = (await autonomyCmd(ctx, { args: [], opts: {} })).data as AutonomyReport;
  return Object.fromEntries(
    r.folders.map((f) => [
      f.folder,
      `${f.demotion ? "review (demoted)" : f.mode}: reviewed ${f.reviewed}, accepted ${f.accepted}, edited ${f.edited}, rejected ${f.rejected}, pending ${f.pending}, applied ${f.applied}, reverted ${f.reverted}`,
    ]),
  );
}

const person = ["-c", "user.name=Lars", "-c", "user.email=lars@example.com"];

describe("review records and demotion, with real git and kb sync between two hosts", () => {
  it("counts review branches accepted unchanged, accepted after an edit, and rejected", async () => {
    const llm = await startOpenAiServer({
      cheap: [
        reply({
          ops: ["Payouts are reconciled every Monday.", "Refunds are paid out every Thursday."].map(
            (text) => ({
              op: "add",
              path: "finance/payments.md",
              section: "Payouts",
              text,
              evidence: text,
            }),
          ),
        }),
        add("Chargebacks are answered within 5 days."),
      ],
    });
    const ctx = await mineEnv({ llmUrl: llm.url, brain: SEED });
    const say = growingLog(ctx);

    say("Payouts are reconciled every Monday. Refunds are paid out every Thursday.");
    const first = ((await mineJob(ctx, {})).data as MineData).branch!;
    // A person rewrites one proposed line on the branch, then accepts the branch.
    const wt = join(ctx.root, "edit");
    await gitOut(["-C", ctx.root, "worktree", "add", "-q", wt, first]);
    const file = join(wt, "brain/finance/payments.md");
    writeFileSync(file, readFileSync(file, "utf8").replace("every Thursday.", "every Thursday and Friday."));
    await gitOut(["-C", wt, ...person, "commit", "-qam", "Refunds also go out on Fridays"]);
    await gitOut(["-C", ctx.root, "worktree", "remove", wt]);
    await acceptCmd(ctx, { args: [first], opts: {} });

    say("Chargebacks are answered within 5 days.");
    const second = ((await mineJob(ctx, {})).data as MineData).branch!;
    expect(await table(ctx)).toMatchInlineSnapshot(`
      {
        "cs": "review: reviewed 0, accepted 0, edited 0, rejected 0, pending 0, applied 0, reverted 0",
        "finance": "review: reviewed 2, accepted 1, edited 1, rejected 0, pending 1, applied 0, reverted 0",
      }
    `);
    await rejectCmd(ctx, { args: [second], opts: {} });
    expect(await table(ctx)).toMatchInlineSnapshot(`
      {
        "cs": "review: reviewed 0, accepted 0, edited 0, rejected 0, pending 0, applied 0, reverted 0",
        "finance": "review: reviewed 3, accepted 1, edited 1, rejected 1, pending 0, applied 0, reverted 0",
      }
    `);
  });

  it("a git revert and a hand edit arriving through kb sync demote the folder before the next mine run", async () => {
    const llm = await startOpenAiServer({
      cheap: [
        add("Payouts are reconciled every Monday."),
        add("Refunds are paid out every Thursday."),
        add("Chargebacks are answered within 5 days."),
        add("Invoices are due within 30 days."),
        add("Credit notes are issued within 2 days."),
      ],
    });
    const { a, b } = await twoMiningHosts(llm.url, { autonomy: [{ paths: ["finance/**"], mode: "apply" }] });
    const say = growingLog(a);
    const sync = async (ctx: TestContext) =>
      expect((await syncCmd(ctx, { args: [], opts: {} })).exitCode).toBe(0);
    const bBrain = join(b.root, "brain");

    say("Payouts are reconciled every Monday.");
    const one = (await mineJob(a, {})).data as MineData;
    say("Refunds are paid out every Thursday.");
    const two = (await mineJob(a, {})).data as MineData;
    expect([one.branch, two.branch, one.commits.length, two.commits.length]).toEqual([null, null, 1, 1]);
    await sync(a);
    await sync(b);
    // On the other host a person reverts the first applied change.
    await gitOut(["-C", bBrain, ...person, "revert", "--no-edit", one.commits[0]!]);
    const revert = await gitOut(["-C", bBrain, "rev-parse", "HEAD"]);
    await sync(b);
    await sync(a);

    expect(await table(a)).toMatchInlineSnapshot(`
      {
        "cs": "review: reviewed 0, accepted 0, edited 0, rejected 0, pending 0, applied 0, reverted 0",
        "finance": "review (demoted): reviewed 0, accepted 0, edited 0, rejected 0, pending 0, applied 2, reverted 1",
      }
    `);
    const alert = openAlerts(a.db()).find((x) => x.kind === "demoted")!;
    expect(alert.message.replace(revert.slice(0, 10), "<revert>")).toMatchInlineSnapshot(
      `"finance is back in review mode: Lars reverted or rewrote a change kb applied in finance/payments.md (commit <revert> "Revert "kb mine: 1 change(s) from finance""); kb autonomy lift finance gives it back its mine.autonomy mode"`,
    );
    expect(
      (await statusCmd(a, { args: [], opts: {} })).text
        .split("\n\n")
        .at(-1)!
        .replace(revert.slice(0, 10), "<revert>"),
    ).toMatchInlineSnapshot(`
      "folders back in review mode (1); kb autonomy lift FOLDER once the cause is fixed:
        finance  since 2026-11-24: Lars reverted finance/payments.md in <revert> "Revert "kb mine: 1 change(s) from finance"""
    `);

    // --mode apply does not override the demotion: the next change goes to a review branch.
    say("Chargebacks are answered within 5 days.");
    const three = (await mineJob(a, { mode: "apply" })).data as MineData;
    expect(three.branch).toBe("kb/mine/2026-11-24-alpha");
    expect(await gitOut(["-C", join(a.root, "brain"), "show", "HEAD:finance/payments.md"])).not.toContain(
      "Chargebacks",
    );

    // A person lifts it; then a hand edit of a mined line on the other host demotes it again.
    const lifted = (await autonomyCmd(a, { args: ["lift", "finance"], opts: {} })).text;
    expect(lifted.replace(revert.slice(0, 10), "<revert>")).toMatchInlineSnapshot(
      `"lifted the demotion of finance (from <revert>); it runs in its mine.autonomy mode again"`,
    );
    expect((await table(a)).finance).toMatch(/^apply: /);
    const edited = join(bBrain, "finance/payments.md");
    writeFileSync(edited, readFileSync(edited, "utf8").replace("every Thursday.", "every Wednesday."));
    await sync(b);
    await sync(a);
    expect(await table(a)).toMatchInlineSnapshot(`
      {
        "cs": "review: reviewed 0, accepted 0, edited 0, rejected 0, pending 0, applied 0, reverted 0",
        "finance": "review (demoted): reviewed 0, accepted 0, edited 0, rejected 0, pending 1, applied 2, reverted 2",
      }
    `);
    const again = openAlerts(a.db()).find((x) => x.kind === "demoted")!;
    expect(again.message).toContain("kb sync");

    // A revert made on the mining host itself is found when the next mine run starts.
    await autonomyCmd(a, { args: ["lift", "finance"], opts: {} });
    say("Invoices are due within 30 days.");
    const four = (await mineJob(a, {})).data as MineData;
    expect(four.branch).toBeNull();
    await gitOut(["-C", join(a.root, "brain"), ...person, "revert", "--no-edit", four.commits[0]!]);
    say("Credit notes are issued within 2 days.");
    const five = (await mineJob(a, {})).data as MineData;
    expect([five.branch, (await table(a)).finance]).toMatchInlineSnapshot(`
      [
        "kb/mine/2026-11-24-alpha",
        "review (demoted): reviewed 0, accepted 0, edited 0, rejected 0, pending 2, applied 3, reverted 3",
      ]
    `);
    const bad = await autonomyCmd(a, { args: ["lift", "cs"], opts: {} }).catch((e) => e);
    expect(bad.message).toMatchInlineSnapshot(`"cs is not demoted; demoted folders: finance"`);
  });
});
