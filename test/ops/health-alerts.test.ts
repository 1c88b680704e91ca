import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkOverdue } from "../../src/ops/health-alerts.js";
import { openAlerts } from "../../src/runtime/alerts.js";
import { runJob } from "../../src/runtime/runner.js";
import { makeContext, runKb } from "../helpers/index.js";
import { startWebhookServer } from "../helpers/webhook-server.js";

const config = (webhook: string) => ({
  dedup: { scopes: [{ name: "finance", paths: "finance/**" }] },
  alerts: { webhook, timeoutSeconds: 2, retries: 0 },
});

describe("overdue alerts", () => {
  it("announces a job overdue once, and again when it has run successfully", async () => {
    const hook = await startWebhookServer();
    const monday = makeContext({ config: config(hook.url), asOf: "2026-11-23" });
    await runJob(monday, { job: "dedup", scope: "finance" }, async () => ({}));
    await checkOverdue(monday);
    expect(hook.posts).toEqual([]);

    // Two days later the nightly scope has missed two runs: twice its interval has passed.
    const wednesday = makeContext({
      root: monday.root,
      config: config(hook.url),
      asOf: "2026-11-25T12:00:01Z",
    });
    await checkOverdue(wednesday);
    await checkOverdue(wednesday);
    expect(hook.accepted()).toHaveLength(1);
    expect(hook.accepted()[0]).toMatchObject({
      text: ":hourglass: kb on test: dedup:finance is overdue: no successful run since 2026-11-23T12:00:00.000Z (expected every day)",
      kb: { key: "overdue:dedup:finance", kind: "overdue", state: "firing" },
    });
    expect(openAlerts(wednesday.db()).map((a) => a.key)).toEqual(["overdue:dedup:finance"]);

    await runJob(wednesday, { job: "dedup", scope: "finance" }, async () => ({}));
    await checkOverdue(wednesday);
    expect(hook.accepted().map((p) => p.kb.state)).toEqual(["firing", "resolved"]);
    expect(hook.accepted()[1]?.text).toContain("dedup:finance has run successfully again");
  });

  it("any job command checks the others: kb audit from cron reports an overdue dedup scope", async () => {
    const hook = await startWebhookServer();
    const ctx = makeContext({
      config: config(hook.url),
      asOf: "2026-11-20",
      brain: { "finance/payments.md": "# Payments\n\n- Card payments settle in EUR.\n" },
    });
    await runJob(ctx, { job: "dedup", scope: "finance" }, async () => ({}));
    ctx.close();
    const args = ["--config", join(ctx.root, "kb.config.yaml"), "--as-of", "2026-11-24"];
    const audit = await runKb(["audit", ...args, "--fail-on", "never"]);
    expect(audit.code, audit.stderr).toBe(0);
    expect(hook.accepted().map((p) => p.kb.key)).toEqual(["overdue:dedup:finance"]);
    // A dry run and a read-only command change nothing and post nothing.
    await runKb(["audit", ...args, "--dry-run"]);
    await runKb(["status", ...args]);
    expect(hook.posts).toHaveLength(1);
  });
});
