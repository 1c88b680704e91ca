import { chmodSync, existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runDoctor } from "../../src/doctor/index.js";
import { acquireLock } from "../../src/runtime/lock.js";
import { SAMPLE, snapshot, twoHosts } from "./fixture.js";

describe("kb sync: merge cases", () => {
  it("lets a deletion stick, and keeps an edit over a deletion", async () => {
    const { a, b } = await twoHosts();
    a.write(
      "returns.md",
      a
        .read("returns.md")
        .replace("- Gift cards are not refundable.\n", "")
        .replace("- Refunds go to the original payment method.\n", ""),
    );
    b.write("returns.md", b.read("returns.md").replace("original payment method", "original card"));
    await a.sync();
    const rb = await b.sync();
    expect(rb.data.result).toBe("ok");
    expect(rb.data.conflicts.map((c) => c.kind)).toEqual(["edit-vs-delete"]);
    expect(b.read("returns.md")).not.toContain("Gift cards");
    expect(b.read("returns.md")).toContain("- Refunds go to the original card.\n");
  });

  it("keeps a file one host changed and the other deleted", async () => {
    const { a, b } = await twoHosts();
    a.remove("people.md");
    b.write("people.md", `${b.read("people.md")}- Bo runs finance.\n`);
    await a.sync();
    const rb = await b.sync();
    expect(rb.data.conflicts.map((c) => [c.path, c.kind])).toEqual([["people.md", "edit-vs-delete"]]);
    await a.sync();
    expect(a.read("people.md")).toContain("- Bo runs finance.");
  });

  it("merges a new file both hosts created at the same path (add/add)", async () => {
    const { a, b } = await twoHosts();
    a.write("new/topic.md", "# Topic\n\n- From alpha.\n");
    b.write("new/topic.md", "# Topic\n\n- From beta.\n");
    await a.sync();
    await b.sync();
    await a.sync();
    expect(a.read("new/topic.md")).toBe("# Topic\n\n- From alpha.\n- From beta.\n");
    expect(snapshot(a)).toEqual(snapshot(b));
  });

  it("carries an edit into a file the other host renamed", async () => {
    const { a, b } = await twoHosts();
    a.git("mv", "shipping/eu.md", "shipping/europe.md");
    b.write("shipping/eu.md", b.read("shipping/eu.md").replace("€60", "€50"));
    await a.sync();
    await b.sync();
    await a.sync();
    expect(a.read("shipping/europe.md")).toContain("- Free EU shipping above €50.");
    expect(a.git("ls-files", "shipping")).toBe("shipping/europe.md");
  });

  it("merges frontmatter per field and moves an invalid-YAML version aside as a conflict copy", async () => {
    const { a, b } = await twoHosts();
    a.write(
      "returns.md",
      a
        .read("returns.md")
        .replace("updated: 2026-10-01", "updated: 2026-11-01")
        .replace("tags: [returns]", "tags: [returns, eu]"),
    );
    b.write(
      "returns.md",
      b
        .read("returns.md")
        .replace("updated: 2026-10-01", "updated: 2026-11-03")
        .replace("tags: [returns]", "tags: [returns, policy]"),
    );
    a.write("people.md", "---\nowner: [hr\n---\n# People\n\n- Ada is the CEO.\n");
    b.write("people.md", `${b.read("people.md")}- Bo runs finance.\n`);
    await a.sync();
    const rb = await b.sync();
    expect(b.read("returns.md")).toContain("tags: [returns, eu, policy]\nupdated: 2026-11-03\n");
    expect(rb.data.result).toBe("conflict");
    const copy = rb.data.conflicts.find((c) => c.kind === "unparseable")!.copy!;
    expect(copy).toMatch(/^people\.kb-conflict-[0-9a-f]{8}\.md$/);
    expect(b.read(copy)).toContain("owner: [hr");
    expect(b.read("people.md")).toContain("- Bo runs finance.");
    await a.sync();
    expect(snapshot(a)).toEqual(snapshot(b));
    expect((await a.sync()).data.unresolved.copies).toEqual([copy]);
  });

  it("stores CRLF markdown with LF line endings and keeps NFD file names as written", async () => {
    const nfd = "caf\u0065\u0301.md";
    const { a, b } = await twoHosts({ ...SAMPLE, "crlf.md": "# Win\r\n\r\n- One.\r\n" });
    a.write(nfd, "# Café\n\n- Opens at 8.\n");
    await a.sync();
    await b.sync();
    expect(b.read(nfd)).toBe("# Café\n\n- Opens at 8.\n");
    a.write(nfd, `${a.read(nfd)}- Closes at 6.\n`);
    b.write(nfd, b.read(nfd).replace("# Café\n\n", "# Café\n\n- Serves tea.\n"));
    await a.sync();
    await b.sync();
    await a.sync();
    expect(a.read(nfd)).toBe("# Café\n\n- Serves tea.\n- Opens at 8.\n- Closes at 6.\n");
    expect(b.read("crlf.md")).toBe("# Win\n\n- One.\n");
    expect(a.git("show", "HEAD:crlf.md")).toBe("# Win\n\n- One.");
    expect(a.git("rev-parse", "HEAD^{tree}")).toBe(b.git("rev-parse", "HEAD^{tree}"));
    expect(a.git("status", "--porcelain")).toBe("");
    expect(b.git("ls-files")).toContain(nfd);
  });

  it("retries when the hub moved between fetch and push (push race)", async () => {
    const { a, b } = await twoHosts();
    b.write("people.md", `${b.read("people.md")}- Bo runs finance.\n`);
    b.git("add", "-A");
    b.git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "beta edit");
    const hooks = join(a.ctx.root, "hooks");
    mkdirSync(hooks);
    writeFileSync(
      join(hooks, "pre-push"),
      `#!/bin/sh\n[ -e "${hooks}/done" ] && exit 0\ntouch "${hooks}/done"\ncd "${b.brain}" && git push -q hub HEAD:refs/heads/main\n`,
    );
    chmodSync(join(hooks, "pre-push"), 0o755);
    a.git("config", "core.hooksPath", hooks);
    a.write("returns.md", `${a.read("returns.md")}- Exchanges are free.\n`);
    const ra = await a.sync();
    expect(ra.data).toMatchObject({ result: "ok", attempts: 2 });
    expect(a.read("people.md")).toContain("- Bo runs finance.");
    expect(a.git("rev-parse", "HEAD")).toBe(a.git("rev-parse", "hub/main"));
  });
});

describe("kb sync: refusals change nothing", () => {
  const refusal = async (setup: (h: Awaited<ReturnType<typeof twoHosts>>["a"]) => void, code: RegExp) => {
    const { a } = await twoHosts();
    a.write("people.md", `${a.read("people.md")}- Uncommitted local fact.\n`);
    setup(a);
    const before = a.git("rev-parse", "HEAD");
    const status = a.git("status", "--porcelain");
    const r = await a.sync();
    expect(r.exitCode).toBe(6);
    expect(r.data.result).toBe("unsafe");
    expect(r.data.error!.code).toMatch(code);
    expect(a.git("rev-parse", "HEAD")).toBe(before);
    expect(a.git("status", "--porcelain")).toBe(status);
    return r;
  };

  it("refuses a repository left mid-merge", async () => {
    await refusal(
      (a) => writeFileSync(join(a.brain, ".git/MERGE_HEAD"), `${a.git("rev-parse", "HEAD")}\n`),
      /SYNC_UNSAFE_IN_PROGRESS/,
    );
  });
  it("refuses a stale index.lock", async () => {
    const r = await refusal((a) => writeFileSync(join(a.brain, ".git/index.lock"), ""), /STALE_INDEX_LOCK/);
    expect(r.text).toContain("no git process is running");
  });
  it("refuses a detached HEAD", async () => {
    await refusal((a) => a.git("checkout", "-q", "--detach"), /DETACHED_HEAD/);
  });
  it("refuses when the merge driver is not registered, and doctor --fix repairs it", async () => {
    const { a } = await twoHosts();
    a.git("config", "--unset", "merge.kb.driver");
    const r = await a.sync();
    expect(r.data.error).toMatchObject({ code: "SYNC_UNSAFE_DRIVER_MISSING" });
    const doctor = (fix: boolean) =>
      runDoctor({ config: join(a.ctx.root, "kb.config.yaml"), fix }, { cwd: a.ctx.root });
    const before = (await doctor(false)).checks.find((c) => c.id === "sync-driver");
    expect(before).toMatchObject({ status: "error", hint: "kb doctor --fix" });
    const fixed = (await doctor(true)).checks.find((c) => c.id === "sync-driver");
    expect(fixed).toMatchObject({ status: "ok", fixed: true });
    expect((await doctor(false)).checks.filter((c) => c.id.startsWith("sync") && c.status !== "ok")).toEqual(
      [],
    );
    expect((await a.sync()).data.result).toBe("ok");
  });
  it("refuses to push a mass deletion", async () => {
    const { a, b } = await twoHosts({ ...SAMPLE, "x1.md": "- 1\n", "x2.md": "- 2\n", "x3.md": "- 3\n" });
    for (const f of ["x1.md", "x2.md", "x3.md", "people.md"]) a.remove(f);
    const r = await a.sync();
    expect(r.data).toMatchObject({ result: "unsafe", error: { code: "SYNC_MASS_DELETE" } });
    expect(a.git("status", "--porcelain").split("\n")).toHaveLength(4);
    expect((await b.sync()).data.result).toBe("ok");
  });
  it("refuses an empty brain (a missing mount)", async () => {
    const { a } = await twoHosts();
    for (const f of a.git("ls-files").split("\n")) a.remove(f);
    renameSync(join(a.brain, ".git"), join(a.ctx.root, "git-away"));
    const r = await a.sync();
    expect(r.data.error!.code).toBe("SYNC_UNSAFE_BRAIN_EMPTY");
  });
});

describe("kb sync: locks and the network", () => {
  it("skips with exit 4 while another sync holds the lock, and takes over a dead one", async () => {
    const { a } = await twoHosts();
    const lock = acquireLock(a.ctx.db(), "sync", { host: "alpha" });
    const r = await a.sync();
    expect([r.exitCode, r.data.result]).toEqual([4, "locked"]);
    lock.release();
    a.ctx
      .db()
      .prepare("INSERT INTO locks (name, pid, host, acquired_at) VALUES ('sync', 999999, 'alpha', ?)")
      .run(new Date().toISOString());
    expect((await a.sync()).data.result).toBe("ok");
  });

  it("keeps the local commit when the hub is unreachable (exit 5) and pushes it next run", async () => {
    const { hub, a, b } = await twoHosts();
    renameSync(hub, `${hub}.away`);
    a.write("people.md", `${a.read("people.md")}- Offline fact.\n`);
    const r = await a.sync();
    expect([r.exitCode, r.data.result, r.data.error!.code]).toEqual([5, "network", "SYNC_NETWORK"]);
    expect(a.git("log", "-1", "--format=%s")).toMatch(/^kb sync: alpha: local changes \(1 modified\)$/);
    renameSync(`${hub}.away`, hub);
    expect((await a.sync()).data).toMatchObject({ result: "ok", commitsOut: 1 });
    await b.sync();
    expect(b.read("people.md")).toContain("- Offline fact.");
  });
});

describe("kb sync: batch merge of many files", () => {
  it("merges many files changed on both hosts in one pass, with the same results and conflict reports", async () => {
    const files = Object.fromEntries(
      Array.from({ length: 12 }, (_, i) => [`many/f${i}.md`, `# F${i}\n\n- Base fact ${i}.\n`]),
    );
    const { a, b } = await twoHosts({ ...SAMPLE, ...files });
    for (let i = 0; i < 12; i++) {
      const path = `many/f${i}.md`;
      a.write(
        path,
        a
          .read(path)
          .replace("# F", "# F")
          .replace(`- Base fact ${i}.\n`, `- Alpha fact ${i}.\n- Base fact ${i}.\n`),
      );
      b.write(path, `${b.read(path)}- Beta fact ${i}.\n`);
    }
    a.write("returns.md", a.read("returns.md").replace("30 days", "45 days"));
    b.write("returns.md", b.read("returns.md").replace("30 days", "60 days"));
    a.write("people.md", "---\nowner: [hr\n---\n# People\n");
    b.write("people.md", `${b.read("people.md")}- Bo runs finance.\n`);
    await a.sync();
    const rb = await b.sync();
    expect(rb.data.batchMerged).toBe(14);
    expect(rb.data.conflicts.map((c) => [c.path, c.kind]).sort()).toEqual([
      ["people.md", "unparseable"],
      ["returns.md", "fact-edited-both"],
    ]);
    for (let i = 0; i < 12; i++) {
      expect(b.read(`many/f${i}.md`)).toBe(
        `# F${i}\n\n- Alpha fact ${i}.\n- Base fact ${i}.\n- Beta fact ${i}.\n`,
      );
    }
    expect(b.read(rb.data.conflicts.find((c) => c.kind === "unparseable")!.copy!)).toContain("owner: [hr");
    expect(b.git("status", "--porcelain")).toBe("");
    expect(existsSync(join(b.brain, ".git/kb-sync/batch"))).toBe(false);
    await a.sync();
    expect(snapshot(a)).toEqual(snapshot(b));
  });
});
