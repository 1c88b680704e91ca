import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run as runInit } from "../../src/cli/commands/init.js";
import { run as runStatus } from "../../src/cli/commands/status.js";
import { run as runSync } from "../../src/cli/commands/sync.js";
import { runDoctor } from "../../src/doctor/index.js";
import type { Health } from "../../src/ops/health.js";
import { tempDir } from "../helpers/index.js";
import { makeHost, SAMPLE, twoHosts } from "./fixture.js";

describe("kb init", () => {
  it("publishes to an empty hub, clones on the next host, and is idempotent", async () => {
    const hub = join(tempDir("kb-hub-"), "hub.git");
    const a = makeHost("alpha", hub, SAMPLE);
    const first = await runInit(a.ctx, { args: [], opts: {} });
    expect(first.data).toMatchObject({ action: "published" });
    expect(a.git("log", "--format=%an|%s")).toBe("kb sync|kb sync: alpha: publish the brain");
    expect(a.read(".gitattributes")).toBe("* merge=kb\n*.md merge=kb text eol=lf\n");
    expect(a.git("config", "merge.kb.driver")).toMatch(
      /^".*node.*" ".*\/bin\/kb\.js" merge-driver %O %A %B %P$/,
    );
    const again = await runInit(a.ctx, { args: [], opts: {} });
    expect(again.text).toMatch(/^init: already-set-up/);
    const b = makeHost("beta", hub);
    const cloned = await runInit(b.ctx, { args: [], opts: {} });
    expect(cloned.data).toMatchObject({ action: "cloned" });
    expect(b.read("people.md")).toBe(SAMPLE["people.md"]);
    const doctor = await runDoctor({ config: join(b.ctx.root, "kb.config.yaml") }, { cwd: b.ctx.root });
    expect(doctor.checks.filter((c) => c.id.startsWith("sync")).map((c) => [c.id, c.status])).toEqual([
      ["sync-remote", "ok"],
      ["sync-driver", "ok"],
      ["sync-attributes", "ok"],
      ["sync-conflicts", "ok"],
    ]);
  });

  it("refuses to overwrite a non-empty brain that is not a clone of the hub", async () => {
    const { hub } = await twoHosts();
    const c = makeHost("gamma", hub, { "mine.md": "- Local only.\n" });
    await expect(runInit(c.ctx, { args: [], opts: {} })).rejects.toThrow(
      /holds 1 entries but is not a clone of the hub .*; kb will not overwrite it/,
    );
    expect(c.read("mine.md")).toBe("- Local only.\n");
  });
});

describe("kb sync guards", () => {
  it("never commits git conflict markers, but a setext heading is fine", async () => {
    const { a } = await twoHosts();
    a.write("setext.md", "Title\n=======\n\n- A fact.\n");
    expect((await a.sync()).data.result).toBe("ok");
    a.write("people.md", "<<<<<<< HEAD\n- Ada is the CEO.\n=======\n- Bo is the CEO.\n>>>>>>> other\n");
    const r = await a.sync();
    expect(r.data).toMatchObject({ result: "unsafe", error: { code: "SYNC_CONFLICT_MARKERS" } });
    expect(a.git("status", "--porcelain")).toBe("M people.md");
  });

  it("refuses a mass deletion coming from the hub", async () => {
    const { a, b } = await twoHosts({ ...SAMPLE, "x1.md": "- 1\n", "x2.md": "- 2\n", "x3.md": "- 3\n" });
    b.git("rm", "-q", "x1.md", "x2.md", "x3.md", "people.md");
    b.git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "drop most files");
    b.git("push", "-q", "hub", "HEAD:main");
    const head = a.git("rev-parse", "HEAD");
    const r = await a.sync();
    expect(r.data).toMatchObject({ result: "unsafe", error: { code: "SYNC_MASS_DELETE" } });
    expect(r.text).toContain("the changes from the hub would delete 4 of");
    expect(a.git("rev-parse", "HEAD")).toBe(head);
  });

  it("aborts the merge when the driver crashes, leaving the repository as it was", async () => {
    const { a, b } = await twoHosts();
    b.write("people.md", `${b.read("people.md")}- Bo runs finance.\n`);
    await b.sync();
    a.write("people.md", `${a.read("people.md")}- Cy leads retail.\n`);
    const crash = join(a.ctx.root, "crash.sh");
    writeFileSync(crash, "#!/bin/sh\nkill -SEGV $$\n");
    chmodSync(crash, 0o755);
    const driver = a.git("config", "merge.kb.driver");
    a.git("config", "merge.kb.driver", `"${crash}" "${crash}" %O %A %B %P`);
    const r = await a.sync();
    expect(r.data).toMatchObject({ result: "unsafe", error: { code: "SYNC_MERGE_FAILED" } });
    expect(a.git("status", "--porcelain")).toBe("");
    expect(a.read("people.md")).toContain("- Cy leads retail.");
    a.git("config", "merge.kb.driver", driver);
    expect((await a.sync()).data.result).toBe("ok");
    expect(a.read("people.md")).toContain("- Bo runs finance.\n- Cy leads retail.\n");
  });

  it("stops a merge at the deadline, leaves no lock or half merge, and finishes next run", async () => {
    const { a, b } = await twoHosts(SAMPLE, { deadlineSeconds: 2 });
    b.write("people.md", `${b.read("people.md")}- Bo runs finance.\n`);
    await b.sync();
    a.write("people.md", `${a.read("people.md")}- Cy leads retail.\n`);
    const driver = a.git("config", "merge.kb.driver");
    const slow = join(a.ctx.root, "slow.sh");
    writeFileSync(slow, `#!/bin/sh\nsleep 4\nexec ${driver.replace("%O %A %B %P", '"$1" "$2" "$3" "$4"')}\n`);
    chmodSync(slow, 0o755);
    a.git("config", "merge.kb.driver", `"${slow}" "${slow}" %O %A %B %P`);
    const r = await a.sync();
    expect([r.exitCode, r.data.result, r.data.error?.code]).toEqual([5, "network", "SYNC_DEADLINE"]);
    expect(existsSync(join(a.brain, ".git/index.lock"))).toBe(false);
    expect(existsSync(join(a.brain, ".git/MERGE_HEAD"))).toBe(false);
    expect(a.git("status", "--porcelain")).toBe("");
    a.git("config", "merge.kb.driver", driver);
    // The next run, with time to spare (a loaded machine may need more than 2 s for a whole sync).
    (a.ctx.config.sync as { deadlineSeconds: number }).deadlineSeconds = 120;
    expect((await a.sync()).data.result).toBe("ok");
    expect(a.read("people.md")).toContain("- Bo runs finance.\n- Cy leads retail.\n");
  });

  it("prints its plan with --dry-run and changes nothing", async () => {
    const { a } = await twoHosts();
    a.write("people.md", `${a.read("people.md")}- Cy leads retail.\n`);
    const head = a.git("rev-parse", "HEAD");
    const out = await runSync(a.ctx, { args: [], opts: { dryRun: true } });
    expect(out.text).toMatchInlineSnapshot(`
      "would commit 1 local change(s)
      would fetch the hub, merge with the kb driver under a backup ref, push, verify"
    `);
    expect(a.git("rev-parse", "HEAD")).toBe(head);
    expect(a.git("status", "--porcelain")).toBe("M people.md");
  });

  it("keeps conflicts in kb status until a person resolves them", async () => {
    const { a, b } = await twoHosts();
    a.write("returns.md", a.read("returns.md").replace("30 days", "45 days"));
    b.write("returns.md", b.read("returns.md").replace("30 days", "60 days"));
    await a.sync();
    await b.sync();
    const status = async () => {
      const out = await runStatus(b.ctx, { args: [], opts: {} });
      const health = out.data as Health;
      return {
        sync: health.jobs.find((j) => j.job === "sync")!,
        conflicts: health.conflicts,
        exitCode: out.exitCode,
      };
    };
    expect(await status()).toMatchObject({
      sync: { state: "needs-human", lastRun: { status: "needs-human" } },
      conflicts: { count: 1, files: ["returns.md"] },
      exitCode: 1,
    });
    expect((await b.sync()).data.result).toBe("conflict");
    b.write(
      "returns.md",
      b
        .read("returns.md")
        .replace(/- Returns accepted within 45 days\. <!-- kb:conflict -->\n/, "")
        .replace(" <!-- kb:conflict -->", ""),
    );
    expect((await b.sync()).data.result).toBe("ok");
    expect(await status()).toMatchObject({
      sync: { state: "ok", lastRun: { status: "ok" } },
      conflicts: { count: 0, files: [] },
      exitCode: 0,
    });
    expect((await a.sync()).data.result).toBe("ok");
    expect(a.read("returns.md")).toContain("- Returns accepted within 60 days.\n");
  });
});

describe("kb sync through the binary", () => {
  it("prints the documented --json shape and exit code", async () => {
    const { runKb } = await import("../helpers/index.js");
    const hub = join(tempDir("kb-hub-"), "hub.git");
    const a = makeHost("alpha", hub, SAMPLE);
    await runInit(a.ctx, { args: [], opts: {} });
    mkdirSync(join(a.brain, "new"), { recursive: true });
    a.write("new/fact.md", "- New.\n");
    const r = await runKb(["--config", join(a.ctx.root, "kb.config.yaml"), "sync", "--json"]);
    expect(r.code).toBe(0);
    const data = JSON.parse(r.stdout);
    expect(Object.keys(data)).toEqual(
      expect.arrayContaining(["result", "commitsIn", "commitsOut", "conflicts", "unresolved", "runId"]),
    );
    expect(data).toMatchObject({ result: "ok", commitsIn: 0, commitsOut: 1, conflicts: [] });
  });
});
