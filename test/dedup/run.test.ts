import { cpSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { run as runDedupJob } from "../../jobs/dedup.js";
import { run as undoCommand } from "../../src/cli/commands/undo.js";
import { scopeSchedules } from "../../src/dedup/scopes.js";
import { makeContext, repoRoot, tempDir } from "../helpers/index.js";

const AGENTS = ["company", "customer-service", "finance", "retail", "marketing", "merchandising", "hr"];

/** A context over a copy of the bundled sample brain, one dedup scope per agent folder. */
function sampleBrain(dedup: Record<string, unknown> = {}) {
  const root = tempDir();
  cpSync(join(repoRoot, "brain"), join(root, "brain"), { recursive: true });
  return makeContext({
    root,
    config: {
      ignore: ["README.md"],
      dedup: { scopes: AGENTS.map((name) => ({ name, paths: [`${name}/**`] })), ...dedup },
    },
  });
}

function snapshot(brain: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(brain, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const abs = join(entry.parentPath, entry.name);
      files.set(abs.slice(brain.length + 1), readFileSync(abs));
    }
  }
  return files;
}

type Data = {
  runId: number | null;
  facts: number;
  removed: { scope: string; path: string; line: number; text: string; keptPath: string; keptText: string }[];
  contradictions: { a: { text: string }; b: { text: string }; reason: string }[];
  review: { a: { text: string }; b: { text: string } }[];
  scopes: { scope: string; runId: number }[];
};

describe("kb dedup on a copy of the bundled brain", () => {
  test("finds the planted duplicates and contradictions, keeps pinned copies", async () => {
    const ctx = sampleBrain();
    const data = (await runDedupJob(ctx, { dryRun: true })).data as Data;
    const removed = data.removed.map((r) => `${r.path}: ${r.text}`);
    expect(removed).toEqual([
      "company/brand/story.md: Ingrid Dahl is CEO.",
      "customer-service/escalation.md: Escalate chargebacks to finance within 24 hours.",
      "customer-service/faq.md: orders placed before 14:00 CET on a business day ship the same day",
      "finance/index.md: Prices shown on the webshop include VAT.",
      "retail/stores/tokyo.md: 代官山店の営業時間は11時から20時までです。",
      "marketing/index.md: Brand voice is calm, warm and plain spoken.",
    ]);
    expect(data.removed.some((r) => r.path === "company/people.md")).toBe(false);
    const contradictions = data.contradictions.map((c) => c.reason);
    expect(contradictions).toEqual([
      "roles differ (ceo)",
      "numbers differ (€60 ≠ €50)",
      "negation differs",
      "numbers differ (2027-01-31 ≠ 2027-01-15)",
      "numbers differ (30% ≠ 40%)",
    ]);
    const review = data.review.map((p) => [p.a.text, p.b.text].sort().join(" | "));
    expect(review).toContain("Supplier invoices are paid net 30 days. | Supplier invoices are paid net 30.");
    // "get" / "receive": a synonym kb cannot tell from an unrelated word, so a person decides.
    expect(review).toContain(
      "Employees in Denmark get 25 days of paid holiday per holiday year. | Employees in Denmark receive 25 days of paid holiday per holiday year.",
    );
    expect(review).toContain(
      "Knitwear lead time from Porto is 10 weeks. | Lead time for knitwear from Tricot Douro in Porto is 10 weeks.",
    );
  });

  test("writes minimal diffs, is idempotent, and kb undo restores the bytes", async () => {
    const ctx = sampleBrain();
    const brain = ctx.config.brain;
    const before = snapshot(brain);
    const data = (await runDedupJob(ctx, {})).data as Data;
    expect(data.removed).toHaveLength(6);
    const after = snapshot(brain);
    const removedLines = new Map<string, number[]>();
    for (const r of data.removed) removedLines.set(r.path, [...(removedLines.get(r.path) ?? []), r.line]);
    for (const [path, bytes] of before) {
      const lines = removedLines.get(path);
      if (!lines) {
        expect(after.get(path)?.equals(bytes), path).toBe(true);
        continue;
      }
      const kept = bytes
        .toString("utf8")
        .split("\n")
        .filter((_, i) => !lines.includes(i + 1))
        .join("\n");
      expect(after.get(path)!.toString("utf8"), path).toBe(kept);
    }
    expect(after.get("finance/payroll.md")!.equals(before.get("finance/payroll.md")!)).toBe(true);

    const again = (await runDedupJob(ctx, {})).data as Data;
    expect(again.removed).toEqual([]);
    expect(snapshot(brain)).toEqual(after);

    for (const { runId, scope } of data.scopes.filter((s) => data.removed.some((r) => r.scope === s.scope))) {
      expect(scope).not.toBe("merchandising");
      const out = await undoCommand(ctx, { args: [String(runId)], opts: {} });
      expect(out.exitCode).toBe(0);
    }
    const restored = snapshot(brain);
    for (const [path, bytes] of before) expect(restored.get(path)?.equals(bytes), path).toBe(true);
  });

  test("undo on a file edited after the run puts the removed facts back and keeps the edit", async () => {
    const ctx = sampleBrain();
    const file = join(ctx.config.brain, "finance/index.md");
    const original = readFileSync(file, "utf8");
    const data = (await runDedupJob(ctx, { scope: "finance" })).data as Data;
    expect(data.removed.map((r) => r.text)).toEqual(["Prices shown on the webshop include VAT."]);
    writeFileSync(file, `${readFileSync(file, "utf8")}\n- A fact added by hand.\n`);
    const out = await undoCommand(ctx, { args: [String(data.runId)], opts: {} });
    expect(out.exitCode).toBe(0);
    expect(out.text).toMatchInlineSnapshot(`
      "undo run ${data.runId}: restored 1 fact in 1 file
        finance/index.md: edited since the run; put back 1 of 1 fact(s) in place, later edits kept
          put back “Prices shown on the webshop include VAT.”"
    `);
    expect(readFileSync(file, "utf8")).toBe(`${original}\n- A fact added by hand.\n`);
  });

  test("undo of a file whose lines around a removed fact are gone reports that fact and changes nothing else", async () => {
    const ctx = makeContext({
      brain: { "a.md": "# A\n\n- Gift wrap is free.\n- Gift wrap is free!\n- Returns take 30 days.\n" },
      config: { dedup: { maxRemoveShare: 0.9 } },
    });
    const file = join(ctx.config.brain, "a.md");
    const data = (await runDedupJob(ctx, {})).data as Data;
    expect(data.removed.map((r) => r.text)).toEqual(["Gift wrap is free!"]);
    writeFileSync(file, "# A\n\n- Gift wrap costs €2.\n- Returns take 14 days.\n");
    const out = await undoCommand(ctx, { args: [String(data.runId)], opts: {} });
    expect(out.exitCode).toBe(3);
    expect(out.text).toMatchInlineSnapshot(`
      "undo run ${data.runId}: restored 0 facts in 0 files, 1 fact not restored
        a.md: not restored
          not put back “Gift wrap is free!”: the lines around it were edited since the run, so its place is unknown"
    `);
    expect(readFileSync(file, "utf8")).toBe("# A\n\n- Gift wrap costs €2.\n- Returns take 14 days.\n");
  });

  test("a run that would remove more than the allowed share aborts and changes nothing", async () => {
    const ctx = makeContext({
      brain: {
        "cs/a.md": "# A\n\n- Returns are accepted within 30 days.\n- Gift wrap is free.\n",
        "cs/b.md": "# B\n\n- returns are accepted within 30 days\n- Gift wrap is free!\n",
      },
      config: { dedup: { maxRemoveShare: 0.2 } },
    });
    const before = snapshot(ctx.config.brain);
    await expect(runDedupJob(ctx, {})).rejects.toThrowErrorMatchingInlineSnapshot(
      `[NeedsHumanError: dedup of scope "all" would remove 2 of 4 facts (50%), over the limit of 20% (config dedup.maxRemoveShare); nothing was changed. Review with \`kb dedup --scope all --dry-run\`, then raise the limit for one run if the removals are right.]`,
    );
    expect(snapshot(ctx.config.brain)).toEqual(before);
  });

  test("an unknown scope is a usage error naming the configured ones", async () => {
    const ctx = sampleBrain();
    await expect(runDedupJob(ctx, { scope: "sales" })).rejects.toThrowErrorMatchingInlineSnapshot(
      `[UsageError: no dedup scope named "sales"; configured scopes: company, customer-service, finance, retail, marketing, merchandising, hr (config dedup.scopes)]`,
    );
  });
});

describe("scopeSchedules", () => {
  test("staggers scopes without a time 10 minutes apart from 03:45 and keeps explicit times", () => {
    const dedup = {
      scopes: [
        { name: "cs", paths: ["customer-service/**"] },
        { name: "finance", paths: ["finance/**"], at: "0 2 * * *" },
        { name: "hr", paths: ["hr/**"] },
        { name: "retail", paths: ["retail/**"] },
      ],
      staggerStart: "03:45",
      staggerMinutes: 10,
    };
    expect(scopeSchedules({ dedup } as never)).toEqual([
      { scope: "cs", cron: "45 3 * * *" },
      { scope: "finance", cron: "0 2 * * *" },
      { scope: "hr", cron: "55 3 * * *" },
      { scope: "retail", cron: "5 4 * * *" },
    ]);
  });
});
