import { spawnSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { kbBin, makeTree } from "../helpers/index.js";
import { openclaw, otherNode } from "../helpers/openclaw.js";

/**
 * better-sqlite3 is built for the Node that installed kb. Run under another Node (a host upgraded
 * Node, or cron finds a different one on PATH), every command and `kb doctor` must say which Node
 * built it, which runs now, and the one command that fixes it — not a stack of failed jobs.
 */
describe("kb under a Node its native module was not built for", () => {
  let other: { path: string; major: number };
  beforeAll(() => {
    openclaw();
    other = otherNode();
  }, 600_000);

  const kbUnder = (args: string[], cwd: string) =>
    spawnSync(other.path, [kbBin, ...args], {
      cwd,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });

  it("names both Nodes and the fix, for a job and for kb status, with no stack trace", () => {
    const dir = makeTree({ "kb.config.yaml": "brain: ./brain\n", "brain/a.md": "# A\n\n- A fact.\n" });
    const built = process.versions.node.split(".")[0];
    for (const args of [["status"], ["run", "audit"]]) {
      const r = kbUnder(args, dir);
      expect(r.status, r.stderr).not.toBe(0);
      expect(r.stderr).toContain(`better-sqlite3 was built for Node ${built}`);
      expect(r.stderr).toContain(`kb is running on Node ${other.major}.`);
      expect(r.stderr).toContain("npm rebuild better-sqlite3");
      expect(r.stderr).not.toMatch(/^\s+at /m);
    }
  });

  it("kb doctor reports it as a failed check with the fix", () => {
    const dir = makeTree({ "kb.config.yaml": "brain: ./brain\n", "brain/a.md": "# A\n\n- A fact.\n" });
    const r = kbUnder(["doctor", "--json"], dir);
    const report = JSON.parse(r.stdout) as {
      ok: boolean;
      checks: { id: string; status: string; message: string }[];
    };
    expect(report.ok).toBe(false);
    const sqlite = report.checks.find((c) => c.id === "sqlite");
    expect(sqlite?.status).toBe("error");
    expect(sqlite?.message).toContain("npm rebuild better-sqlite3");
  });
});
