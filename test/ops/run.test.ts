import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { jobs } from "../../jobs/index.js";
import { run as runCommand } from "../../src/cli/commands/run.js";
import { run as statusCommand } from "../../src/cli/commands/status.js";
import type { Health } from "../../src/ops/health.js";
import type { PipelineResult } from "../../src/ops/pipeline.js";
import { kbInProcess, makeContext } from "../helpers/index.js";

describe("kb run nightly", () => {
  it("says why each step is skipped, and a job turned off here is neither run nor counted", async () => {
    const ctx = makeContext({
      brain: {
        "finance/payments.md":
          "# Payments\n\n- Card payments settle in EUR.\n- Card payments settle in EUR.\n",
      },
      config: {
        dedup: { scopes: [{ name: "finance", paths: "finance/**" }] },
        schedule: { off: ["dedup"] },
      },
    });
    const out = await runCommand(ctx, { args: ["nightly"], opts: {} });
    const steps = (out.data as PipelineResult).steps.map((s) => [s.job, s.status, s.reason ?? ""]);
    expect(steps).toEqual([
      ["sync", "skipped", "no hub configured (set sync.hub to the hub repository's path or ssh:// URL)"],
      ["mine", "skipped", "no log sources configured (set mine.sources)"],
      ["consolidate", "ok", ""],
      ["dedup", "skipped", "turned off on this host (schedule.off)"],
      ["sync", "skipped", "no hub configured (set sync.hub to the hub repository's path or ssh:// URL)"],
      ["audit", "ok", ""],
    ]);
    expect(out.exitCode).toBe(0);
    expect(out.text).toContain("skipped dedup — turned off on this host (schedule.off)");
    const health = (await statusCommand(ctx, { args: [], opts: {} })).data as Health;
    expect(health.jobs.find((j) => j.job === "dedup")).toMatchObject({
      state: "not-configured",
      reason: "turned off on this host (schedule.off)",
    });
    expect(health.healthy).toBe(true);
  });

  it("runs one job by name and refuses an unknown one, listing the jobs", async () => {
    const ctx = makeContext({ brain: { "a.md": "# A\n\n- One.\n" } });
    const one = await runCommand(ctx, { args: ["audit"], opts: {} });
    expect((one.data as PipelineResult).steps.map((s) => s.job)).toEqual(["audit"]);
    await expect(runCommand(ctx, { args: ["dedupe"], opts: {} })).rejects.toThrow(
      /^no job named "dedupe"; expected one of:\n {2}nightly /,
    );
  });

  it("a bare kb run runs nothing and lists the jobs (exit 2)", async () => {
    const ctx = makeContext({ brain: { "a.md": "# A\n\n- One.\n" } });
    const r = await kbInProcess(["--config", join(ctx.root, "kb.config.yaml"), "run"], ctx.root);
    expect(r.code).toBe(2);
    const lines = r.stderr.split("\n");
    expect(lines.slice(0, 2)).toMatchInlineSnapshot(`
      [
        "kb run: name a job to run; expected one of:",
        "  nightly      the nightly pipeline, continuing past failures: sync → mine → consolidate → dedup → sync → audit",
      ]
    `);
    // Every job in the registry is listed with what it does.
    for (const job of jobs) {
      const listed = new RegExp(`^ {2}${job.name} +${job.summary.slice(0, 20)}`);
      expect(
        lines.some((l) => listed.test(l)),
        job.name,
      ).toBe(true);
    }
    expect(existsSync(join(ctx.root, "reports"))).toBe(false);
  });

  it("a bare kb eval lists the evaluations (exit 2)", async () => {
    const ctx = makeContext({ brain: { "a.md": "# A\n\n- One.\n" } });
    const r = await kbInProcess(["--config", join(ctx.root, "kb.config.yaml"), "eval"], ctx.root);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatchInlineSnapshot(`
      "kb eval: name what to evaluate; expected one of:
        mine    compare mining models on a labelled set: kb eval mine --set DIR [--models a,b]
        recall  measure what agents retrieve from the brain: kb eval recall --set DIR [--engine kb|openclaw]
      "
    `);
  });
});
