import { execFileSync } from "node:child_process";
import { mkdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run as status } from "../../src/cli/commands/status.js";
import type { Health, JobHealth } from "../../src/ops/health.js";
import { openDb } from "../../src/state/db.js";
import { finishRun, type RunStatus, startRun } from "../../src/state/runs.js";
import { makeContext, makeTree, runKb, type TestContext } from "../helpers/index.js";
import { twoHosts } from "../sync/fixture.js";

const CONFIG = {
  sync: { hub: "/srv/kb/hub.git" },
  dedup: {
    scopes: [
      { name: "finance", paths: ["finance/**"] },
      { name: "hr", paths: ["hr/**"] },
    ],
  },
};
/** Long before any seeded run, so the config's age never moves a clock unless a test says so. */
const OLD_CONFIG = new Date("2026-01-01T00:00:00Z");

/** This host seen at `asOf` (the same state folder when `root` is given). */
function host(asOf: string, root?: string, config: Record<string, unknown> = CONFIG): TestContext {
  const ctx = makeContext({ root, config, asOf });
  utimesSync(join(ctx.root, "kb.config.yaml"), OLD_CONFIG, OLD_CONFIG);
  return ctx;
}

/** Record a run as the runner would: started at `at`, ended a minute later unless still running. */
function record(
  ctx: TestContext,
  run: {
    job: string;
    scope?: string;
    status: RunStatus;
    at: string;
    error?: string;
    summary?: Record<string, unknown>;
  },
): number {
  const db = ctx.db();
  const id = startRun(db, { job: run.job, scope: run.scope, host: "test", startedAt: new Date(run.at) });
  if (run.status !== "running") {
    finishRun(db, id, {
      status: run.status,
      exitCode: run.status === "ok" ? 0 : 1,
      endedAt: new Date(Date.parse(run.at) + 60_000),
      error: run.error,
      summary: run.summary,
    });
  }
  return id;
}

async function check(ctx: TestContext) {
  const out = await status(ctx, { args: [], opts: {} });
  const health = out.data as Health;
  const job = (name: string): JobHealth => {
    const [j, scope] = name.split(":");
    return health.jobs.find((x) => x.job === j && x.scope === scope)!;
  };
  return { health, job, text: out.text, exitCode: out.exitCode };
}

describe("kb status: the health of each job", () => {
  it("is healthy on a fresh install: nothing ran yet, so nothing is overdue", async () => {
    const ctx = host("2026-11-24T12:00:00Z");
    const { health, text, exitCode } = await check(ctx);
    expect(exitCode).toBe(0);
    expect(health.healthy).toBe(true);
    expect(
      health.jobs.map((j) => [j.scope ? `${j.job}:${j.scope}` : j.job, j.state, j.everyMinutes]),
    ).toEqual([
      ["sync", "waiting", 30],
      ["mine", "not-configured", 1440],
      ["dedup:finance", "waiting", 1440],
      ["dedup:hr", "waiting", 1440],
      ["audit", "waiting", 132480],
      ["consolidate", "waiting", 1440],
    ]);
    expect(text.replace(ctx.config.state, "<state>")).toMatchInlineSnapshot(`
      "kb on test, 2026-11-24 12:00Z: healthy

      job            state           last run  last success  schedule          note
      sync           waiting         never     -             */30 * * * *      has not run yet
      mine           not configured  never     -             30 5 * * *        no log sources configured (set mine.sources)
      dedup:finance  waiting         never     -             45 3 * * *        has not run yet
      dedup:hr       waiting         never     -             55 3 * * *        has not run yet
      audit          waiting         never     -             0 6 1 1,4,7,10 *  has not run yet
      consolidate    waiting         never     -             0 6 * * *         has not run yet

      no runs recorded yet in <state>"
    `);
  });

  it("turns a job OVERDUE once its last success is older than twice its interval, and exits 1", async () => {
    const first = host("2026-11-24T12:00:00Z");
    record(first, { job: "sync", status: "ok", at: "2026-11-24T11:00:00Z" });
    const fine = await check(first);
    expect(fine.exitCode).toBe(0);
    expect(fine.job("sync")).toMatchObject({
      state: "ok",
      lastSuccess: "2026-11-24T11:01:00.000Z",
      overdueAt: "2026-11-24T12:01:00.000Z",
      overdue: false,
    });

    const late = await check(host("2026-11-24T12:02:00Z", first.root));
    expect(late.exitCode).toBe(1);
    expect(late.health.healthy).toBe(false);
    expect(late.job("sync")).toMatchObject({ state: "overdue", overdue: true, failing: false });
    expect(late.job("dedup:finance")).toMatchObject({ state: "waiting", overdue: false });
    expect(late.health.problems).toEqual(["sync is overdue: no success since 2026-11-24T11:01:00.000Z"]);
    expect(late.text).toMatch(
      /^sync +OVERDUE +ok 2026-11-24 11:00Z \(run 1\) +2026-11-24 11:01Z +\*\/30 \* \* \* \* +expected every 30 min$/m,
    );
  });

  it("shows a job whose latest run failed as FAILING with the error, until a run succeeds", async () => {
    const ctx = host("2026-11-24T12:00:00Z");
    record(ctx, { job: "sync", status: "ok", at: "2026-11-24T11:00:00Z" });
    record(ctx, {
      job: "sync",
      status: "transient",
      at: "2026-11-24T11:30:00Z",
      error: "cannot fetch the hub: connection refused",
    });
    record(ctx, { job: "sync", status: "running", at: "2026-11-24T11:59:00Z" });
    const failing = await check(ctx);
    expect(failing.exitCode).toBe(1);
    expect(failing.job("sync")).toMatchObject({
      state: "failing",
      failing: true,
      overdue: false,
      lastRun: { status: "running", startedAt: "2026-11-24T11:59:00.000Z", endedAt: null },
      reason: "cannot fetch the hub: connection refused",
    });
    expect(failing.health.problems).toEqual(["sync is failing: cannot fetch the hub: connection refused"]);
    expect(failing.text).toMatch(
      /^sync +FAILING +running 2026-11-24 11:59Z .* cannot fetch the hub: connection refused$/m,
    );

    record(ctx, { job: "sync", status: "ok", at: "2026-11-24T11:58:00Z" });
    const again = await check(ctx);
    expect(again.exitCode).toBe(0);
    expect(again.job("sync")).toMatchObject({ state: "ok", failing: false });
  });

  it("starts the clock of a job that never succeeded at the first recorded run, or the config's last change", async () => {
    const ctx = host("2026-11-24T12:00:00Z");
    record(ctx, { job: "audit", status: "ok", at: "2026-11-20T06:00:00Z" });
    const stale = await check(ctx);
    expect(stale.exitCode).toBe(1);
    expect(stale.job("sync")).toMatchObject({
      state: "overdue",
      lastSuccess: null,
      overdueAt: "2026-11-20T07:00:00.000Z",
    });
    expect(stale.job("dedup:hr")).toMatchObject({ state: "overdue", overdueAt: "2026-11-22T06:00:00.000Z" });
    expect(stale.job("audit")).toMatchObject({ state: "ok" });

    const changed = new Date("2026-11-24T11:30:00Z");
    utimesSync(join(ctx.root, "kb.config.yaml"), changed, changed);
    const fresh = await check(ctx);
    expect(fresh.exitCode).toBe(0);
    expect(fresh.job("sync")).toMatchObject({ state: "waiting", overdueAt: "2026-11-24T12:30:00.000Z" });
    expect(fresh.job("dedup:hr")).toMatchObject({ state: "waiting", overdueAt: "2026-11-26T11:30:00.000Z" });
  });

  it("shows jobs this host cannot run as not configured, with the reason, and never counts them", async () => {
    const ctx = host("2026-11-24T12:00:00Z", undefined, {});
    record(ctx, { job: "sync", status: "failed", at: "2026-10-01T10:00:00Z", error: "no hub" });
    record(ctx, { job: "mine", status: "failed", at: "2026-10-01T10:00:00Z", error: "no LLM" });
    record(ctx, { job: "audit", status: "ok", at: "2026-11-24T06:00:00Z" });
    record(ctx, { job: "consolidate", status: "ok", at: "2026-11-24T06:00:00Z" });
    const { health, job, text, exitCode } = await check(ctx);
    expect(exitCode).toBe(0);
    expect(health.healthy).toBe(true);
    expect(job("sync")).toMatchObject({
      state: "not-configured",
      notConfigured: true,
      overdue: false,
      failing: false,
      reason: "no hub configured (set sync.hub to the hub repository's path or ssh:// URL)",
    });
    expect(job("mine")).toMatchObject({
      state: "not-configured",
      reason: "no log sources configured (set mine.sources)",
    });
    expect(job("dedup:all")).toMatchObject({ state: "not-configured" });
    expect(text).toMatch(/^mine +not configured +failed 2026-10-01 10:00Z .* no log sources configured/m);
  });

  it("counts a run that ended needing a person (files dedup left unchanged) as unhealthy", async () => {
    const ctx = host("2026-11-24T12:00:00Z");
    record(ctx, { job: "sync", status: "ok", at: "2026-11-24T11:30:00Z" });
    record(ctx, { job: "dedup", scope: "finance", status: "ok", at: "2026-11-23T03:45:00Z" });
    const id = record(ctx, {
      job: "dedup",
      scope: "finance",
      status: "needs-human",
      at: "2026-11-24T03:45:00Z",
      summary: { skipped: 2 },
    });
    const { health, job, exitCode } = await check(ctx);
    expect(exitCode).toBe(1);
    expect(job("dedup:finance")).toMatchObject({ state: "needs-human", needsHuman: true, overdue: false });
    expect(job("dedup:hr")).toMatchObject({ state: "waiting" });
    expect(health.problems).toEqual([`dedup:finance needs a person: 2 file(s) left unchanged (run ${id})`]);
  });
});

describe("kb status: sync conflicts and review branches", () => {
  it("lists unresolved sync conflicts until a person fixes the file, without another sync", async () => {
    const { a, b } = await twoHosts();
    a.write("returns.md", a.read("returns.md").replace("30 days", "45 days"));
    b.write("returns.md", b.read("returns.md").replace("30 days", "60 days"));
    await a.sync();
    expect((await b.sync()).exitCode).toBe(3);

    const open = await check(b.ctx);
    expect(open.exitCode).toBe(1);
    expect(open.health.conflicts).toEqual({ count: 1, files: ["returns.md"] });
    expect(open.job("sync")).toMatchObject({
      state: "needs-human",
      reason: expect.stringContaining("1 unresolved conflict(s)"),
    });
    expect(open.text).toContain("unresolved sync conflicts (1); fix each file, then kb sync:\n  returns.md");

    b.write(
      "returns.md",
      b
        .read("returns.md")
        .replace(/- Returns accepted within 45 days\. <!-- kb:conflict -->\n/, "")
        .replace(" <!-- kb:conflict -->", ""),
    );
    const fixed = await check(b.ctx);
    expect(fixed.health.conflicts).toEqual({ count: 0, files: [] });
    expect(fixed.job("sync").state).toBe("needs-human");

    expect((await b.sync()).exitCode).toBe(0);
    const clean = await check(b.ctx);
    expect(clean.job("sync").state).toBe("ok");
    expect(clean.exitCode).toBe(0);
  });

  it("lists kb review branches for information; they do not make the host unhealthy", async () => {
    const ctx = host("2026-11-24T12:00:00Z");
    const git = (...args: string[]) =>
      execFileSync(
        "git",
        ["-C", join(ctx.root, "brain"), "-c", "user.name=t", "-c", "user.email=t@t", ...args],
        {
          encoding: "utf8",
          env: {
            ...process.env,
            GIT_COMMITTER_DATE: "2026-11-23T05:30:00Z",
            GIT_AUTHOR_DATE: "2026-11-23T05:30:00Z",
          },
        },
      ).trim();
    mkdirSync(join(ctx.root, "brain"), { recursive: true });
    git("init", "-q", "-b", "main");
    writeFileSync(join(ctx.root, "brain", "a.md"), "# A\n\n- one\n");
    git("add", "-A");
    git("commit", "-q", "-m", "brain");
    git("branch", "kb/mine/2026-11-23-test");
    git("branch", "feature/not-kb");
    const tip = git("rev-parse", "--short", "HEAD");
    const { health, text, exitCode } = await check(ctx);
    expect(exitCode).toBe(0);
    expect(health.reviewBranches).toEqual([
      { branch: "kb/mine/2026-11-23-test", tip, committedAt: "2026-11-23T05:30:00.000Z" },
    ]);
    expect(text).toContain(
      `review branches waiting (1); kb accept BRANCH or kb reject BRANCH:\n  kb/mine/2026-11-23-test  ${tip}  2026-11-23 05:30Z`,
    );
  });
});

describe("kb status from the binary", () => {
  it("prints the health JSON and exits 1 when unhealthy, 0 when healthy", async () => {
    const root = makeTree({
      "kb.config.yaml": `host: mon\nbrain: ./brain\nstate: ./state\nsync: { hub: /srv/kb/hub.git }\n`,
      "brain/a.md": "# A\n\n- one\n",
    });
    utimesSync(join(root, "kb.config.yaml"), OLD_CONFIG, OLD_CONFIG);
    const db = openDb(join(root, "state"));
    const id = startRun(db, { job: "sync", host: "mon", startedAt: new Date("2026-11-24T10:00:00Z") });
    finishRun(db, id, { status: "ok", exitCode: 0, endedAt: new Date("2026-11-24T10:00:05Z") });
    db.close();
    const args = ["status", "--json", "--config", join(root, "kb.config.yaml")];

    const ok = await runKb([...args, "--as-of", "2026-11-24T10:30:00Z"]);
    expect(ok.code, ok.stderr).toBe(0);
    const health = JSON.parse(ok.stdout);
    expect(Object.keys(health)).toEqual([
      "healthy",
      "host",
      "checkedAt",
      "problems",
      "jobs",
      "conflicts",
      "reviewBranches",
      "contested",
      "unanswered",
      "reads",
    ]);
    expect(health).toMatchObject({ healthy: true, host: "mon", checkedAt: "2026-11-24T10:30:00.000Z" });
    expect(health.jobs[0]).toEqual({
      job: "sync",
      schedule: "*/30 * * * *",
      everyMinutes: 30,
      lastRun: {
        id,
        status: "ok",
        startedAt: "2026-11-24T10:00:00.000Z",
        endedAt: "2026-11-24T10:00:05.000Z",
        error: null,
      },
      lastSuccess: "2026-11-24T10:00:05.000Z",
      state: "ok",
      overdueAt: "2026-11-24T11:00:05.000Z",
      overdue: false,
      failing: false,
      needsHuman: false,
    });

    const late = await runKb([...args, "--as-of", "2026-11-24T11:30:00Z"]);
    expect(late.code).toBe(1);
    expect(JSON.parse(late.stdout)).toMatchObject({
      healthy: false,
      problems: [expect.stringMatching(/^sync is overdue/)],
    });
  });
});
