import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { TransientError } from "../../src/errors.js";
import { openAlerts, raiseAlert } from "../../src/runtime/alerts.js";
import { runJob } from "../../src/runtime/runner.js";
import { makeContext, onCleanup } from "../helpers/index.js";
import { startWebhookServer } from "../helpers/webhook-server.js";

const failing = async () => {
  throw new TransientError(
    "HUB_UNREACHABLE",
    "hub unreachable: ssh: connect to host hub port 22: Connection refused",
  );
};
const succeeding = async () => ({});

function alertsConfig(url: string, extra: Record<string, unknown> = {}) {
  return { alerts: { webhook: url, timeoutSeconds: 2, retries: 2, ...extra } };
}

describe("alerts", () => {
  it("posts a failure once however often it repeats, then once when it clears, then again on a new failure", async () => {
    const hook = await startWebhookServer();
    const ctx = makeContext({ config: alertsConfig(hook.url) });
    for (let i = 0; i < 3; i++) await expect(runJob(ctx, { job: "sync" }, failing)).rejects.toThrow();
    expect(hook.accepted()).toHaveLength(1);
    expect(hook.accepted()[0]).toMatchObject({
      text: expect.stringMatching(/^:red_circle: kb on test: sync failed: hub unreachable/),
      kb: { host: "test", key: "run:sync", kind: "failure", state: "firing" },
    });
    expect(openAlerts(ctx.db())).toHaveLength(1);

    await runJob(ctx, { job: "sync" }, succeeding);
    await runJob(ctx, { job: "sync" }, succeeding);
    expect(hook.accepted().map((p) => p.kb.state)).toEqual(["firing", "resolved"]);
    expect(hook.accepted()[1]?.text).toContain("sync is running normally again");
    expect(openAlerts(ctx.db())).toEqual([]);

    await expect(runJob(ctx, { job: "sync" }, failing)).rejects.toThrow();
    expect(hook.accepted().map((p) => p.kb.state)).toEqual(["firing", "resolved", "firing"]);
  });

  it("keeps alerts per job and scope apart, and stays silent about jobs that never failed", async () => {
    const hook = await startWebhookServer();
    const ctx = makeContext({ config: alertsConfig(hook.url) });
    await runJob(ctx, { job: "audit" }, succeeding);
    await expect(runJob(ctx, { job: "dedup", scope: "hr" }, failing)).rejects.toThrow();
    await expect(runJob(ctx, { job: "dedup", scope: "finance" }, failing)).rejects.toThrow();
    await runJob(ctx, { job: "dedup", scope: "hr" }, succeeding);
    expect(hook.accepted().map((p) => [p.kb.key, p.kb.state])).toEqual([
      ["run:dedup:hr", "firing"],
      ["run:dedup:finance", "firing"],
      ["run:dedup:hr", "resolved"],
    ]);
  });

  it("a sync that needs a person is announced as a conflict; a mining budget stop as a notice", async () => {
    const hook = await startWebhookServer();
    const ctx = makeContext({ config: alertsConfig(hook.url) });
    await runJob(ctx, { job: "sync" }, async () => ({ status: "needs-human" as const }));
    await runJob(ctx, { job: "mine" }, async () => ({
      notice: { kind: "budget" as const, message: "mining stopped early (daily budget $1 reached)" },
    }));
    await runJob(ctx, { job: "mine" }, async () => ({
      notice: { kind: "budget" as const, message: "mining stopped early (daily budget $1 reached)" },
    }));
    await runJob(ctx, { job: "mine" }, succeeding);
    expect(hook.accepted().map((p) => [p.kb.key, p.kb.kind, p.kb.state])).toEqual([
      ["run:sync", "conflict", "firing"],
      ["notice:mine", "budget", "firing"],
      ["notice:mine", "budget", "resolved"],
    ]);
    expect(hook.accepted()[1]?.text).toContain("daily budget $1 reached");
  });

  it("retries a busy webhook (429, 5xx) and gives up after alerts.retries, trying again on the next failure", async () => {
    const hook = await startWebhookServer([503, 429]);
    const ctx = makeContext({ config: alertsConfig(hook.url) });
    await expect(runJob(ctx, { job: "sync" }, failing)).rejects.toThrow();
    expect(hook.posts.map((p) => p.status)).toEqual([503, 429, 200]);

    const down = await startWebhookServer([500, 500, 500]);
    const ctx2 = makeContext({ config: alertsConfig(down.url) });
    await expect(runJob(ctx2, { job: "sync" }, failing)).rejects.toThrow();
    expect(down.posts.map((p) => p.status)).toEqual([500, 500, 500]);
    expect(ctx2.logs.filter((l) => l.includes("alert webhook busy"))).toHaveLength(3);
    // Not delivered, so the next observation of the same condition posts again.
    await expect(runJob(ctx2, { job: "sync" }, failing)).rejects.toThrow();
    expect(down.accepted()).toHaveLength(1);
  });

  it("does not retry a refused post (4xx) and never logs the webhook URL", async () => {
    const hook = await startWebhookServer([404]);
    const ctx = makeContext({ config: alertsConfig(hook.url) });
    await expect(runJob(ctx, { job: "sync" }, failing)).rejects.toThrow("hub unreachable");
    expect(hook.posts).toHaveLength(1);
    const logs = ctx.logs.join("\n");
    expect(logs).toContain("alert webhook refused the post");
    expect(logs).not.toContain("secret-token");
  });

  it("an unreachable webhook leaves the job's own result untouched", async () => {
    const port = await closedPort();
    const ctx = makeContext({ config: alertsConfig(`http://127.0.0.1:${port}/hook`, { retries: 1 }) });
    await expect(runJob(ctx, { job: "sync" }, failing)).rejects.toBeInstanceOf(TransientError);
    const ok = await runJob(ctx, { job: "audit" }, async () => ({ counts: { files: 3 } }));
    expect(ok.counts).toEqual({ files: 3 });
    expect(ctx.logs.filter((l) => l.includes("alert webhook unreachable"))).toHaveLength(2);
    expect(openAlerts(ctx.db()).map((a) => a.key)).toEqual(["run:sync"]);
  });

  it("reads the URL from alerts.webhookEnv, sends no resolution when sendResolved is off, and records alerts with no webhook", async () => {
    const hook = await startWebhookServer();
    const ctx = makeContext({
      config: { alerts: { webhookEnv: "KB_TEST_WEBHOOK", sendResolved: false, timeoutSeconds: 2 } },
    });
    const deps = {
      config: ctx.config,
      db: ctx.db(),
      log: ctx.log,
      now: new Date(),
      env: { KB_TEST_WEBHOOK: hook.url },
    };
    expect(
      await raiseAlert(deps, { key: "overdue:audit", kind: "overdue", message: "audit is overdue" }),
    ).toBe(true);
    expect(hook.accepted()[0]?.text).toBe(":hourglass: kb on test: audit is overdue");

    const quiet = makeContext({});
    await expect(runJob(quiet, { job: "sync" }, failing)).rejects.toThrow();
    expect(openAlerts(quiet.db())).toMatchObject([{ key: "run:sync", kind: "failure" }]);
    await runJob(quiet, { job: "sync" }, succeeding);
    expect(openAlerts(quiet.db())).toEqual([]);
  });
});

/** A loopback port with nothing listening. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  onCleanup(() => undefined);
  return port;
}
