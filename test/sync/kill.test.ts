import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { kbBin } from "../helpers/index.js";
import { type Host, snapshot, twoHosts } from "./fixture.js";

/** Run `kb sync` as cron would, in its own process group, so a hook can kill -9 the whole run. */
function syncProcess(host: Host): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [kbBin, "--config", join(host.ctx.root, "kb.config.yaml"), "sync", "--json"],
      {
        detached: true,
        stdio: "ignore",
      },
    );
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve({ code, signal }));
  });
}

/** A hook script that kills the sync's process group the first time it runs (with a filter on stdin). */
function killerHook(path: string, marker: string, condition = "true"): void {
  writeFileSync(
    path,
    `#!/bin/sh\n${condition} || exit 0\n[ -e "${marker}" ] && exit 0\ntouch "${marker}"\nkill -9 -$(awk '{print $5}' /proc/$$/stat)\nsleep 5\n`,
  );
  chmodSync(path, 0o755);
}

const STEPS: { step: string; install: (a: Host, hooks: string, marker: string, hub: string) => void }[] = [
  {
    step: "right after the local commit",
    install: (_a, hooks, marker) =>
      killerHook(
        join(hooks, "reference-transaction"),
        marker,
        `[ "$1" = committed ] && grep -q " refs/heads/main$"`,
      ),
  },
  {
    step: "mid-fetch (objects in, ref not yet moved)",
    install: (_a, hooks, marker) =>
      killerHook(
        join(hooks, "reference-transaction"),
        marker,
        `[ "$1" = prepared ] && grep -q " refs/remotes/hub/main$"`,
      ),
  },
  {
    step: "after the backup ref, before the merge",
    install: (_a, hooks, marker) =>
      killerHook(
        join(hooks, "reference-transaction"),
        marker,
        `[ "$1" = committed ] && grep -q " refs/kb/sync-backup/"`,
      ),
  },
  {
    step: "inside the merge driver",
    install: (a, hooks, marker) => {
      killerHook(join(hooks, "driver"), marker);
      a.git("config", "merge.kb.driver", `"${join(hooks, "driver")}" "${join(hooks, "driver")}" %O %A %B %P`);
    },
  },
  {
    step: "just before the push",
    install: (_a, hooks, marker) => killerHook(join(hooks, "pre-push"), marker),
  },
  {
    step: "after the push, before the run is recorded",
    install: (_a, _hooks, marker, hub) => killerHook(join(hub, "hooks", "post-receive"), marker),
  },
];

describe("kb sync survives kill -9 at each step", () => {
  for (const { step, install } of STEPS) {
    it(`recovers when killed ${step}, losing nothing`, async () => {
      const { hub, a, b } = await twoHosts();
      const driver = a.git("config", "merge.kb.driver");
      b.write("people.md", `${b.read("people.md")}- Bo runs finance.\n`);
      b.write("shipping/eu.md", b.read("shipping/eu.md").replace("Rotterdam", "Antwerp"));
      expect((await b.sync()).data.result).toBe("ok");
      a.write("people.md", a.read("people.md").replace("# People\n\n", "# People\n\n- Cy leads retail.\n"));
      a.write("returns.md", `${a.read("returns.md")}- Exchanges are free.\n`);
      const hooks = join(a.ctx.root, "hooks");
      mkdirSync(hooks, { recursive: true });
      a.git("config", "core.hooksPath", hooks);
      const marker = join(a.ctx.root, "killed");
      install(a, hooks, marker, hub);
      const killed = await syncProcess(a);
      expect(existsSync(marker), "the kill hook ran").toBe(true);
      expect(killed.signal, JSON.stringify(killed)).toBe("SIGKILL");
      a.git("config", "--unset", "core.hooksPath");
      a.git("config", "merge.kb.driver", driver);
      writeFileSync(join(hub, "hooks", "post-receive"), "#!/bin/sh\n");
      const again = await a.sync();
      expect(again.data.result, JSON.stringify(again.data)).toBe("ok");
      await b.sync();
      await a.sync();
      expect(snapshot(a)).toEqual(snapshot(b));
      const people = a.read("people.md");
      for (const fact of ["- Ada is the CEO.", "- Bo runs finance.", "- Cy leads retail."])
        expect(people).toContain(fact);
      expect(a.read("returns.md")).toContain("- Exchanges are free.");
      expect(a.read("shipping/eu.md")).toContain("Antwerp");
      expect(a.git("status", "--porcelain")).toBe("");
      expect(a.git("ls-files")).not.toContain(".merge_file_");
      const all = Object.values(snapshot(a)).join("");
      for (const fact of ["- Bo runs finance.", "- Cy leads retail.", "- Exchanges are free."]) {
        expect(all.split(fact).length - 1, `${fact} appears once`).toBe(1);
      }
      expect(a.git("rev-parse", "HEAD")).toBe(b.git("rev-parse", "HEAD"));
    });
  }
});

describe("kb sync recovers a killed merge even after files changed", () => {
  it("finishes an interrupted merge that can no longer be aborted, keeping every edit", async () => {
    const { a, b } = await twoHosts();
    b.write("people.md", `${b.read("people.md")}- Bo runs finance.\n`);
    await b.sync();
    a.write("people.md", a.read("people.md").replace("# People\n\n", "# People\n\n- Cy leads retail.\n"));
    a.git("add", "-A");
    a.git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "local");
    a.git("fetch", "-q", "hub");
    a.git("merge", "--no-ff", "--no-commit", "-q", "hub/main");
    mkdirSync(join(a.brain, ".git/kb-sync"), { recursive: true });
    writeFileSync(
      join(a.brain, ".git/kb-sync/journal.json"),
      JSON.stringify({ pid: 999999, phase: "merging", at: "" }),
    );
    a.write("people.md", `${a.read("people.md")}- Di joined HR.\n`);
    const r = await a.sync();
    expect(r.data.result).toBe("ok");
    expect(r.data.recovered).toContain(
      "finished an interrupted merge (files had changed since, so it could not be aborted)",
    );
    await b.sync();
    for (const fact of ["- Ada is the CEO.", "- Bo runs finance.", "- Cy leads retail.", "- Di joined HR."]) {
      expect(b.read("people.md")).toContain(fact);
    }
  });
});

describe("kb sync recovers files a killed checkout left half-written", () => {
  /**
   * Git rewrites working-tree files one by one before it moves HEAD. A smudge filter on one file
   * kills the sync's process group while git checks that file out: files before it are at the
   * hub's version, that one is missing, HEAD has not moved. Committed as local changes, the gap
   * would delete facts on every host.
   */
  for (const local of [false, true]) {
    it(`killed mid-checkout of ${local ? "a merge" : "a fast-forward"}: nothing lost, hosts converge`, async () => {
      const { a, b } = await twoHosts();
      b.write("people.md", `${b.read("people.md")}- Bo runs finance.\n`);
      b.write("returns.md", `${b.read("returns.md")}- Store credit never expires.\n`);
      b.write("shipping/eu.md", b.read("shipping/eu.md").replace("Rotterdam", "Antwerp"));
      expect((await b.sync()).data.result).toBe("ok");
      if (local)
        a.write("people.md", a.read("people.md").replace("# People\n\n", "# People\n\n- Cy leads retail.\n"));
      const hooks = join(a.ctx.root, "hooks");
      mkdirSync(hooks, { recursive: true });
      const marker = join(a.ctx.root, "killed");
      killerHook(join(hooks, "smudge"), marker);
      writeFileSync(join(a.brain, ".git/info/attributes"), "returns.md filter=killer\n");
      a.git("config", "filter.killer.smudge", join(hooks, "smudge"));
      const killed = await syncProcess(a);
      expect(existsSync(marker), "the kill hook ran").toBe(true);
      expect(killed.signal).toBe("SIGKILL");
      a.git("config", "--unset", "filter.killer.smudge");
      writeFileSync(join(a.brain, ".git/info/attributes"), "");
      const again = await a.sync();
      expect(again.data.result, JSON.stringify(again.data)).toBe("ok");
      expect(again.data.recovered.join("\n")).toMatch(
        /restored \d+ file\(s\) an interrupted merge had half-written/,
      );
      await b.sync();
      await a.sync();
      expect(snapshot(a)).toEqual(snapshot(b));
      const all = Object.values(snapshot(a)).join("");
      for (const fact of [
        "- Ada is the CEO.",
        "- Bo runs finance.",
        "- Returns accepted within 30 days.",
        "- Gift cards are not refundable.",
        "- Store credit never expires.",
        "- Orders ship from Antwerp.",
        ...(local ? ["- Cy leads retail."] : []),
      ]) {
        expect(all.split(fact).length - 1, `${fact} appears once`).toBe(1);
      }
      expect(a.git("status", "--porcelain")).toBe("");
    });
  }

  it("keeps a genuine edit made after the kill and restores only git's leftovers", async () => {
    const { a, b } = await twoHosts();
    b.write("people.md", `${b.read("people.md")}- Bo runs finance.\n`);
    b.write("returns.md", `${b.read("returns.md")}- Store credit never expires.\n`);
    expect((await b.sync()).data.result).toBe("ok");
    a.git("fetch", "-q", "hub");
    const target = a.git("rev-parse", "hub/main");
    // What a kill leaves: returns.md cut off inside the hub's version, people.md gone, and an
    // agent's edit to shipping/eu.md written after the kill.
    const theirs = a.git("show", `${target}:returns.md`);
    a.write("returns.md", theirs.slice(0, 40));
    a.remove("people.md");
    a.write("shipping/eu.md", `${a.read("shipping/eu.md")}- Customs paid by the shop.\n`);
    mkdirSync(join(a.brain, ".git/kb-sync"), { recursive: true });
    writeFileSync(
      join(a.brain, ".git/kb-sync/journal.json"),
      JSON.stringify({ pid: 999999, phase: "merging", target, at: "" }),
    );
    const r = await a.sync();
    expect(r.data.result).toBe("ok");
    expect(r.data.recovered).toContain(
      "restored 2 file(s) an interrupted merge had half-written: people.md, returns.md",
    );
    await b.sync();
    expect(b.read("people.md")).toBe("# People\n\n- Ada is the CEO.\n- Bo runs finance.\n");
    expect(b.read("returns.md")).toContain(
      "- Gift cards are not refundable.\n- Store credit never expires.\n",
    );
    expect(b.read("shipping/eu.md")).toContain("- Customs paid by the shop.");
  });
});
