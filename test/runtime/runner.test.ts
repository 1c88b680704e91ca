import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { KbError, LockedError, NeedsHumanError } from "../../src/errors.js";
import { acquireLock } from "../../src/runtime/lock.js";
import { runJob } from "../../src/runtime/runner.js";
import { getRun, latestRuns } from "../../src/state/runs.js";
import { makeContext } from "../helpers/index.js";

describe("runJob", () => {
  it("records a successful run with its counts and summary", async () => {
    const ctx = makeContext({});
    const result = await runJob(ctx, { job: "dedup", scope: "finance" }, async () => ({
      counts: { removed: 2 },
      summary: { report: "r.md" },
    }));
    expect(getRun(ctx.db(), result.runId)).toMatchObject({
      job: "dedup",
      scope: "finance",
      host: "test",
      status: "ok",
      exitCode: 0,
      counts: { removed: 2 },
      summary: { report: "r.md" },
      error: null,
    });
  });

  it("records failures with their exit code, and releases the lock", async () => {
    const ctx = makeContext({});
    await expect(
      runJob(ctx, { job: "sync" }, async () => {
        throw new NeedsHumanError("SYNC_UNSAFE", "repository is mid-rebase");
      }),
    ).rejects.toThrow("mid-rebase");
    expect(latestRuns(ctx.db())[0]).toMatchObject({
      status: "needs-human",
      exitCode: 3,
      error: "repository is mid-rebase",
    });
    await expect(runJob(ctx, { job: "sync" }, async () => ({}))).resolves.toMatchObject({ runId: 2 });
  });

  it("a second concurrent run of the same job is refused at once as locked", async () => {
    const ctx = makeContext({});
    let release!: () => void;
    const first = runJob(
      ctx,
      { job: "mine" },
      () => new Promise<Record<string, never>>((r) => (release = () => r({}))),
    );
    await new Promise((r) => setTimeout(r, 10));
    const second = runJob(ctx, { job: "mine" }, async () => ({}));
    await expect(second).rejects.toBeInstanceOf(LockedError);
    await expect(runJob(ctx, { job: "mine", scope: "other" }, async () => ({}))).resolves.toBeDefined();
    release();
    await first;
    expect(latestRuns(ctx.db()).map((r) => [r.job, r.scope, r.status])).toEqual([
      ["mine", null, "ok"],
      ["mine", "other", "ok"],
    ]);
  });

  it("takes over a lock left by a process that was killed", async () => {
    const ctx = makeContext({});
    const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 10000)"]);
    const pid = child.pid!;
    ctx
      .db()
      .prepare("INSERT INTO locks (name, pid, host, acquired_at) VALUES ('dedup', ?, 'test', ?)")
      .run(pid, new Date().toISOString());
    expect(() => acquireLock(ctx.db(), "dedup", { host: "test" })).toThrow(/already running \(pid/);
    child.kill("SIGKILL");
    await new Promise((r) => child.on("exit", r));
    const lock = acquireLock(ctx.db(), "dedup", { host: "test" });
    expect(lock.tookOver).toBe(true);
    lock.release();
  });

  it("dry runs take no lock and leave no record", async () => {
    const ctx = makeContext({});
    const r = await runJob(ctx, { job: "dedup", dryRun: true }, async () => ({ counts: { x: 1 } }));
    expect(r.runId).toBe(0);
    expect(latestRuns(ctx.db())).toEqual([]);
    expect(new KbError("X", "y").exitCode).toBe(1);
  });
});
