import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { request } from "node:http";
import { connect } from "node:net";
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run as runInit } from "../../src/cli/commands/init.js";
import { main } from "../../src/cli/main.js";
import { isLoopback, parseHealthAddress } from "../../src/ops/daemon/health-server.js";
import { openDb } from "../../src/state/db.js";
import { finishRun, recentRuns, startRun } from "../../src/state/runs.js";
import { kbBin, makeContext, makeTree, onCleanup, runKb, tempDir } from "../helpers/index.js";

type LogLine = Record<string, unknown> & { msg: string };

/** A host whose brain syncs with a local bare hub; each fetch waits a second on the hub side, so a run can be caught mid-way. */
async function slowSyncHost(schedule: Record<string, string>) {
  const root = tempDir("kb-daemon-");
  const ctx = makeContext({
    root,
    brain: { "returns.md": "# Returns\n\n- Returns accepted within 30 days.\n" },
    config: { host: "daemon", sync: { hub: join(root, "hub.git") }, schedule },
  });
  await runInit(ctx, { args: [], opts: {} });
  ctx.close();
  execFileSync("git", [
    "-C",
    join(root, "brain"),
    "config",
    "remote.hub.uploadpack",
    "sleep 1; git-upload-pack",
  ]);
  return { config: join(root, "kb.config.yaml"), state: join(root, "state") };
}

/** `kb daemon` as systemd would run it: no TTY, JSON log lines on stderr. */
function startDaemon(args: string[]) {
  const child: ChildProcess = spawn(process.execPath, [kbBin, "daemon", ...args], {
    env: { ...process.env, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  onCleanup(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  const lines: LogLine[] = [];
  let stderr = "";
  let stdout = "";
  let partial = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => {
    stderr += d;
    const parts = (partial + d).split("\n");
    partial = parts.pop()!;
    for (const line of parts) if (line.startsWith("{")) lines.push(JSON.parse(line));
  });
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal })),
  );
  /** Resolve with the first log line (from index `from`) that matches, or fail with what was logged. */
  // Generous: it returns as soon as the line is there, and a loaded machine is slow to get there.
  const waitFor = (match: (l: LogLine) => boolean, from = 0, timeoutMs = 60_000) =>
    new Promise<{ line: LogLine; index: number }>((resolve, reject) => {
      const started = Date.now();
      const poll = () => {
        const index = lines.findIndex((l, i) => i >= from && match(l));
        if (index >= 0) return resolve({ line: lines[index]!, index });
        if (Date.now() - started > timeoutMs || child.exitCode !== null)
          return reject(new Error(`no matching log line; the daemon logged:\n${stderr}`));
        setTimeout(poll, 25);
      };
      poll();
    });
  return { child, lines, exited, waitFor, output: () => ({ stdout, stderr }) };
}

function get(url: string, method = "GET"): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method }, (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode!, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

function connectError(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.on("connect", () => {
      socket.destroy();
      resolve("connected");
    });
    socket.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

const finishedSync = (l: LogLine) => l.msg === "run finished" && l.job === "sync";

describe("kb daemon", () => {
  it("runs sync on its schedule without overlap, also against a run from cron, and stops cleanly on SIGTERM mid-run", async () => {
    const host = await slowSyncHost({ sync: "* * * * * *", timezone: "UTC" });
    const daemon = startDaemon(["--config", host.config, "--health", "127.0.0.1:0"]);

    const { line: listening } = await daemon.waitFor((l) => l.msg === "listening");
    expect(listening).toMatchObject({ host: "127.0.0.1", url: `http://127.0.0.1:${listening.port}/healthz` });
    const port = listening.port as number;
    const health = await get(listening.url as string);
    const body = JSON.parse(health.body);
    expect(health.status).toBe(body.healthy ? 200 : 503);
    expect(body).toMatchObject({ host: "daemon", daemon: { pid: daemon.child.pid } });
    expect(body.jobs.map((j: { job: string; state: string }) => [j.job, j.state])).toEqual([
      ["sync", expect.any(String)],
      ["mine", "not-configured"],
      ["dedup", "not-configured"],
      ["audit", expect.any(String)],
      ["consolidate", expect.any(String)],
    ]);
    expect((await get(`http://127.0.0.1:${port}/metrics`)).status).toBe(404);
    expect((await get(listening.url as string, "POST")).status).toBe(405);
    for (const address of Object.values(networkInterfaces()).flatMap((list) => list ?? [])) {
      // Link-local IPv6 needs a scope id to dial; the machine's IPv4 addresses make the point.
      if (address.internal || address.family !== "IPv4" || isLoopback(address.address)) continue;
      expect([address.address, await connectError(address.address, port)]).toEqual([
        address.address,
        "ECONNREFUSED",
      ]);
    }

    const { index: second } = await daemon.waitFor(
      (l) => finishedSync(l) && daemon.lines.filter(finishedSync).length >= 2,
    );
    // A run started by cron (or a person) while the daemon is at work: the per-host lock keeps them apart.
    await daemon.waitFor((l) => l.msg === "run started", second);
    const fromCron = await runKb(["run", "sync", "--config", host.config]);
    expect([0, 4]).toContain(fromCron.code);
    // Either cron's run found the daemon's lock (4), or it got in between two of the daemon's runs (0);
    // either way the run records below never overlap.

    const { index: last } = await daemon.waitFor((l) => l.msg === "run started", daemon.lines.length);
    daemon.child.kill("SIGTERM");
    const exit = await Promise.race([
      daemon.exited,
      new Promise((resolve) => setTimeout(() => resolve("still running 10 s after SIGTERM"), 10_000)),
    ]);
    expect(exit, daemon.output().stderr).toEqual({ code: 0, signal: null });
    expect(daemon.output().stdout).toMatch(/^kb daemon stopped cleanly after \d+ run\(s\)\n$/);
    const after = daemon.lines
      .slice(last)
      .filter((l) => !l.msg.startsWith("run skipped"))
      .map((l) => [l.msg, l.waitingFor ?? l.status ?? null]);
    expect(after).toEqual([
      ["run started", null],
      ["stopping: no new runs", "sync"],
      ["run finished", "ok"],
      ["stopped", null],
    ]);

    const db = openDb(host.state);
    // Every run: the daemon ticks each second, so cron's run may be far back on a slow machine.
    const runs = recentRuns(db, 100_000).reverse();
    db.close();
    expect(runs.filter((r) => r.status === "running")).toEqual([]);
    const held = runs.filter((r) => r.job === "sync" && r.status !== "locked");
    expect(held.length).toBeGreaterThanOrEqual(4);
    expect(held.every((r) => r.status === "ok")).toBe(true);
    for (const [i, r] of held.entries()) {
      if (i > 0)
        expect(r.startedAt >= held[i - 1]!.endedAt!, `run ${r.id} overlaps run ${held[i - 1]!.id}`).toBe(
          true,
        );
    }
    // cron's run is on record beside the daemon's: held back by the lock, or run in between.
    expect(runs.some((r) => r.job === "sync" && r.pid !== daemon.child.pid)).toBe(true);
  }, 120_000);

  it("answers /healthz with 503 while a job is failing and 200 once it succeeded", async () => {
    const root = makeTree({
      "kb.config.yaml": "host: d\nbrain: ./brain\nstate: ./state\n",
      "brain/a.md": "# A\n\n- one\n",
    });
    const record = (status: "failed" | "ok", error?: string) => {
      const db = openDb(join(root, "state"));
      const id = startRun(db, { job: "audit", host: "d", startedAt: new Date() });
      finishRun(db, id, { status, exitCode: status === "ok" ? 0 : 1, endedAt: new Date(), error });
      db.close();
    };
    record("failed", "reports folder is not writable");
    const daemon = startDaemon(["--config", join(root, "kb.config.yaml"), "--health", "0"]);
    const { line: listening } = await daemon.waitFor((l) => l.msg === "listening");
    expect(listening.host).toBe("127.0.0.1");

    const failing = await get(listening.url as string);
    expect(failing.status).toBe(503);
    expect(JSON.parse(failing.body)).toMatchObject({
      healthy: false,
      problems: ["audit is failing: reports folder is not writable"],
      daemon: { running: null },
    });
    record("ok");
    const fine = await get(listening.url as string);
    expect([fine.status, JSON.parse(fine.body).healthy]).toEqual([200, true]);

    daemon.child.kill("SIGINT");
    expect(await daemon.exited).toEqual({ code: 0, signal: null });
  });

  it("listens beyond loopback only when the address says so, with a warning", async () => {
    const root = makeTree({
      "kb.config.yaml": "host: d\nbrain: ./brain\nstate: ./state\n",
      "brain/a.md": "# A\n\n- one\n",
    });
    const daemon = startDaemon(["--config", join(root, "kb.config.yaml"), "--health", "0.0.0.0:0"]);
    const { line } = await daemon.waitFor((l) =>
      l.msg.startsWith("the health endpoint listens on a non-loopback"),
    );
    expect(line).toMatchObject({ level: "warn", host: "0.0.0.0" });
    const { line: listening } = await daemon.waitFor((l) => l.msg === "listening");
    for (const address of Object.values(networkInterfaces()).flatMap((list) => list ?? [])) {
      if (address.family !== "IPv4") continue;
      expect([address.address, await connectError(address.address, listening.port as number)]).toEqual([
        address.address,
        "connected",
      ]);
    }
    daemon.child.kill("SIGTERM");
    expect(await daemon.exited).toEqual({ code: 0, signal: null });
  });

  it("refuses a bad --health address and --as-of before scheduling anything (exit 2)", async () => {
    const root = makeTree({ "kb.config.yaml": "host: d\nbrain: ./brain\nstate: ./state\n" });
    let stderr = "";
    const kb = (args: string[]) =>
      main(["daemon", ...args], "9.9.9", {
        stdout: () => {},
        stderr: (t) => (stderr += t),
        cwd: root,
        env: { ...process.env },
      });
    expect(await kb(["--health", "localhost"])).toBe(2);
    expect(stderr).toContain(
      `kb daemon: --health "localhost" is not an address to listen on; expected PORT, HOST:PORT or [IPv6]:PORT`,
    );
    expect(await kb(["--as-of", "2026-11-24"])).toBe(2);
    expect(stderr).toContain("kb daemon runs on the real clock");
  });

  it.each([
    ["8787", { host: "127.0.0.1", port: 8787 }],
    ["127.0.0.1:0", { host: "127.0.0.1", port: 0 }],
    ["[::1]:9000", { host: "::1", port: 9000 }],
    ["0.0.0.0:80", { host: "0.0.0.0", port: 80 }],
  ])("reads --health %s", (text, address) => {
    expect(parseHealthAddress(text)).toEqual(address);
  });

  it.each(["70000", ":80", "::1:80", "host", "127.0.0.1:"])("rejects --health %s", (text) => {
    expect(() => parseHealthAddress(text)).toThrow(/is not an address to listen on/);
  });
});
