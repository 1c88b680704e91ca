import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import type { AutonomyReport } from "../../src/autonomy/report.js";
import { run as acceptCmd } from "../../src/cli/commands/accept.js";
import { run as auditCmd } from "../../src/cli/commands/audit.js";
import { run as autonomyCmd } from "../../src/cli/commands/autonomy.js";
import { run as rejectCmd } from "../../src/cli/commands/reject.js";
import { fixedClock } from "../../src/runtime/clock.js";
import { gitOut } from "../../src/runtime/git.js";
import { makeContext, type TestContext } from "../helpers/index.js";

const BRAIN = {
  "finance/payments.md": "# Payments\n\n## Payouts\n\n- Card payments settle in EUR.\n",
  "cs/returns.md": "# Returns\n\n## Returns\n\n- Returns accepted within 30 days.\n",
  "hr/leave.md": "# Leave\n\n## Leave\n\n- Leave requests go to the manager.\n",
  "ops/deploys.md": "# Deploys\n\n## Deploys\n\n- Deploys happen on weekdays.\n",
};

/**
 * A review branch holding `facts` appended to `path`, and the mine_facts rows a mine run records
 * for them (the rows are what `kb mine` writes; the branch and the merge are real git).
 */
async function propose(ctx: TestContext, branch: string, path: string, facts: string[], at: string) {
  const wt = join(ctx.root, `wt-${branch.replace(/\W/g, "-")}`);
  await gitOut(["-C", ctx.root, "worktree", "add", "-q", "-b", branch, wt, "HEAD"]);
  const file = join(wt, "brain", path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(
    file,
    readFileSync(file, "utf8") + facts.map((f) => `- ${f} <!-- kb: finance 2026-11-20 -->\n`).join(""),
  );
  await gitOut(["-C", wt, "-c", "user.name=kb mine", "-c", "user.email=m@t", "commit", "-qam", "kb mine"]);
  const sha = await gitOut(["-C", wt, "rev-parse", "HEAD"]);
  await gitOut(["-C", ctx.root, "worktree", "remove", "--force", wt]);
  const insert = ctx.db().prepare(
    `INSERT INTO mine_facts (run_id, op, path, text, norm, agent, source_file, entries, quote, model, mode, branch, commit_sha, mined_at)
       VALUES (1, 'add', ?, ?, ?, 'finance', 'log', '[]', ?, 'cheap', 'review', ?, ?, ?)`,
  );
  for (const f of facts) insert.run(path, f, f.toLowerCase(), f, branch, sha, at);
}

const facts = (folder: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${folder} fact number ${i + 1}.`);

async function autonomyOn(ctx: TestContext, day: string): Promise<AutonomyReport> {
  ctx.clock = fixedClock(new Date(`${day}T12:00:00Z`));
  return (await autonomyCmd(ctx, { args: [], opts: {} })).data as AutonomyReport;
}

const advice = (r: AutonomyReport) =>
  Object.fromEntries(
    r.folders.map((f) => [f.folder, `${f.mode} ${f.daysInMode}d: ${f.recommendation.action}`]),
  );

describe("kb autonomy: the promotion schedule on simulated weeks", () => {
  it("recommends promotion exactly when 14 days, 10 reviewed and a clean last 10 hold, one folder per 48 hours", async () => {
    const ctx = makeContext({ brain: BRAIN, asOf: "2026-11-24" });
    await gitOut(["init", "-q", "-b", "main", ctx.root]);
    await gitOut(["-C", ctx.root, "add", "brain"]);
    await gitOut(["-C", ctx.root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "brain"]);
    const at = "2026-11-24T05:00:00.000Z";
    await propose(ctx, "kb/mine/2026-11-24-fin", "finance/payments.md", facts("finance", 11), at);
    await propose(ctx, "kb/mine/2026-11-24-cs", "cs/returns.md", facts("cs", 10), at);
    await propose(ctx, "kb/mine/2026-11-24-hr", "hr/leave.md", facts("hr", 9), at);
    await propose(ctx, "kb/mine/2026-11-24-hr2", "hr/leave.md", ["hr rejected fact."], at);
    for (const b of ["fin", "cs", "hr"])
      await acceptCmd(ctx, { args: [`kb/mine/2026-11-24-${b}`], opts: {} });
    await rejectCmd(ctx, { args: ["kb/mine/2026-11-24-hr2"], opts: {} });

    const early = await autonomyOn(ctx, "2026-12-07");
    expect(advice(early)).toMatchInlineSnapshot(`
      {
        "cs": "review 13d: stay-in-review",
        "finance": "review 13d: stay-in-review",
        "hr": "review 13d: stay-in-review",
        "ops": "review 13d: stay-in-review",
      }
    `);
    expect(early.folders.find((f) => f.folder === "finance")!.recommendation.reason).toMatchInlineSnapshot(
      `"13 of 14 days in review"`,
    );

    const due = await autonomyOn(ctx, "2026-12-08");
    expect(advice(due)).toMatchInlineSnapshot(`
      {
        "cs": "review 14d: wait",
        "finance": "review 14d: promote",
        "hr": "review 14d: stay-in-review",
        "ops": "review 14d: stay-in-review",
      }
    `);
    expect(due.folders.map((f) => `${f.folder}: ${f.recommendation.reason}`)).toMatchInlineSnapshot(`
      [
        "cs: 14 days in review, 10 reviewed, the last 10 accepted unedited; one folder moves per 48 hours and finance goes first",
        "finance: 14 days in review, 11 reviewed, the last 10 accepted unedited: set mine.autonomy for finance to apply",
        "hr: 1 of the last 10 reviewed proposals rejected or edited",
        "ops: no reviewed proposals yet",
      ]
    `);

    // A person promotes finance; cs must wait 48 hours from then.
    ctx.config.mine.autonomy.push({ paths: ["finance/**"], mode: "apply" });
    const next = await autonomyOn(ctx, "2026-12-09");
    expect(advice(next)).toMatchInlineSnapshot(`
      {
        "cs": "review 15d: wait",
        "finance": "apply 0d: keep-apply",
        "hr": "review 15d: stay-in-review",
        "ops": "review 15d: stay-in-review",
      }
    `);
    expect(next.folders.find((f) => f.folder === "cs")!.recommendation.reason).toMatchInlineSnapshot(
      `"15 days in review, 10 reviewed, the last 10 accepted unedited; finance moved to apply on 2026-12-09 and one folder moves per 48 hours: from 2026-12-11T12:00Z"`,
    );
    const later = await autonomyOn(ctx, "2026-12-11");
    expect(later.folders.find((f) => f.folder === "cs")!.recommendation.action).toBe("promote");
    const text = (await autonomyCmd(ctx, { args: [], opts: {} })).text;
    expect(text).toMatchInlineSnapshot(`
      "autonomy as of 2026-12-11: promote after 14 days in review with 10 reviewed proposals and none of the last 10 rejected or edited; one folder per 48 hours

      | folder | mode | days | reviewed | accepted | edited | rejected | applied | reverted | recommendation |
      |---|---|---:|---:|---:|---:|---:|---:|---:|---|
      | cs | review | 17 | 10 | 10 | 0 | 0 | 0 | 0 | promote: 17 days in review, 10 reviewed, the last 10 accepted unedited: set mine.autonomy for cs to apply |
      | finance | apply | 2 | 11 | 11 | 0 | 0 | 0 | 0 | keep-apply: 0 applied, 0 reverted; a revert puts it back in review |
      | hr | review | 17 | 10 | 9 | 0 | 1 | 0 | 0 | stay-in-review: 1 of the last 10 reviewed proposals rejected or edited |
      | ops | review | 17 | 0 | 0 | 0 | 0 | 0 | 0 | stay-in-review: no reviewed proposals yet |

      kb recommends; change mine.autonomy in the config to promote a folder. A revert of an applied change puts its folder back in review at once (kb autonomy lift FOLDER ends that)."
    `);

    // kb recommends; it never writes the config, and only a person's edit promotes.
    expect(readFileSync(join(ctx.root, "kb.config.yaml"), "utf8")).not.toContain("autonomy");
    const bad = await autonomyCmd(ctx, { args: ["promote", "cs"], opts: {} }).catch((e) => e);
    expect([bad.exitCode, bad.message]).toMatchInlineSnapshot(`
      [
        2,
        "kb autonomy promote: unknown action; expected kb autonomy or kb autonomy lift FOLDER",
      ]
    `);

    // The audit report carries the same table (md and JSON).
    await auditCmd(ctx, { args: [], opts: { format: "md,json", failOn: "never" } });
    const md = readFileSync(join(ctx.root, "reports/audit-2026-12-11.md"), "utf8");
    expect(md).toContain("## Autonomy");
    expect(md).toContain(text.split("\n").find((l) => l.startsWith("| cs |"))!);
    const json = JSON.parse(readFileSync(join(ctx.root, "reports/audit-2026-12-11.json"), "utf8"));
    expect(
      json.autonomy.map(
        (f: { folder: string; recommendation: { action: string } }) =>
          `${f.folder} ${f.recommendation.action}`,
      ),
    ).toEqual(["cs promote", "finance keep-apply", "hr stay-in-review", "ops stay-in-review"]);
  });
});
