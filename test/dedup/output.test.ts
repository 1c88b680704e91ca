import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { kbBin, kbInProcess, makeContext } from "../helpers/index.js";

const BRAIN = {
  "finance/payments.md":
    "# Payments\n\n## Payouts\n\n- Adyen pays out daily to the Danske Bank EUR account.\n- Adyen pays out daily to the Danske Bank EUR account\n- Card payments settle in EUR.\n",
};
const CONFIG = { dedup: { scopes: [{ name: "finance", paths: "finance/**" }], maxRemoveShare: 0.5 } };

describe("what kb dedup says", () => {
  it("a dry run writes a report named and worded as a dry run: would be removed, nothing changed", async () => {
    const ctx = makeContext({ brain: BRAIN, config: CONFIG });
    const r = await kbInProcess(
      ["--config", join(ctx.root, "kb.config.yaml"), "--as-of", "2026-11-24", "dedup", "--dry-run"],
      ctx.root,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.replaceAll(ctx.root, "<root>")).toMatchInlineSnapshot(`
      "dedup finance (dry run): 3 facts, would remove 1, 0 contradictions, 0 to review; report <root>/reports/dedup-finance-2026-11-24-dry-run.md
      "
    `);
    expect(readdirSync(join(ctx.root, "reports"))).toEqual(["dedup-finance-2026-11-24-dry-run.md"]);
    const report = readFileSync(join(ctx.root, "reports/dedup-finance-2026-11-24-dry-run.md"), "utf8");
    expect(report.split("\n").slice(0, 7)).toMatchInlineSnapshot(`
      [
        "# kb dedup: finance (2026-11-24)",
        "",
        "Dry run, nothing changed: 3 facts compared, 1 would be removed as duplicates, 0 contradictions and 0 pairs to review.",
        "",
        "## Would remove",
        "",
        "- \`finance/payments.md:6\` “Adyen pays out daily to the Danske Bank EUR account”",
      ]
    `);
    expect(report).not.toMatch(/Run -|\d removed as/);
  });

  it("prints its result once on a terminal, not a log line and a summary", () => {
    const ctx = makeContext({ brain: BRAIN, config: CONFIG });
    const command = [process.execPath, kbBin, "--config", join(ctx.root, "kb.config.yaml"), "dedup"]
      .map((a) => `'${a}'`)
      .join(" ");
    // `script` gives kb a pseudo-terminal, as a person's shell would.
    const tty = spawnSync("script", ["-qec", command, "/dev/null"], {
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });
    expect(tty.status, tty.stdout).toBe(0);
    const lines = tty.stdout.split(/\r?\n/).filter((l) => l.trim() !== "");
    expect(
      lines
        .filter((l) => /dedup/.test(l))
        .map((l) =>
          l
            .replace(/\(run \d+\)/, "(run N)")
            .replaceAll(ctx.root, "<root>")
            .replace(/\d{4}-\d{2}-\d{2}/, "DATE"),
        ),
    ).toMatchInlineSnapshot(`
      [
        "dedup finance (run N): 3 facts, removed 1, 0 contradictions, 0 to review; report <root>/reports/dedup-finance-DATE.md",
      ]
    `);
  });

  it("kb undo with a bad run id lists the dedup runs it could undo; kb status shows run ids", async () => {
    const ctx = makeContext({ brain: BRAIN, config: CONFIG });
    const kb = (...args: string[]) =>
      kbInProcess(
        ["--config", join(ctx.root, "kb.config.yaml"), "--as-of", "2026-11-24T03:45:00Z", ...args],
        ctx.root,
      );
    const none = await kb("undo", "abc");
    expect([none.code, none.stderr]).toMatchInlineSnapshot(`
      [
        2,
        "kb undo: "abc" is not a run id; expected the number of a dedup, consolidate or settle run. No run on this host has removed or superseded anything yet.
      ",
      ]
    `);
    const dedup = await kb("dedup");
    expect(dedup.code, dedup.stderr).toBe(0);
    const id = /\(run (\d+)\)/.exec(dedup.stdout)![1];
    const bad = await kb("undo", "abc");
    expect(bad.code).toBe(2);
    expect(bad.stderr.replaceAll(`${id} (`, "N (")).toMatchInlineSnapshot(`
      "kb undo: "abc" is not a run id; expected the number of a dedup, consolidate or settle run. Recent runs that changed the brain: N (dedup finance, 2026-11-24 03:45, 1 fact); kb status shows each job's last run id.
      "
    `);
    const status = await kb("status");
    expect(status.stdout).toContain(`(run ${id})`);
  });
});
