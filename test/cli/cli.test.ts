import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { commands } from "../../src/cli/registry.js";
import { kbInProcess, makeTree, repoRoot, runKb } from "../helpers/index.js";

const kb = (args: string[], cwd: string) => kbInProcess(args, cwd);

describe("argument parsing", () => {
  const fresh = () => makeTree({ "kb.config.yaml": "host: t\nstate: ./s\n", "brain/a.md": "# A\n\n- one\n" });

  it.each([
    [["--version"], 0, /^9\.9\.9\n$/],
    [["--help"], 0, /Commands:[\s\S]*scan[\s\S]*Exit codes:/],
    [["nonsense"], 2, /^$/],
    [["scan", "--no-such-flag"], 2, /^$/],
    [["scan", "--as-of", "2026-02-30"], 2, /^$/],
    [["scan", "--json"], 0, /"files": 1/],
  ])("kb %j exits %i", async (args, code, out) => {
    const r = await kb(args, fresh());
    expect(r.code, r.stderr).toBe(code);
    expect(r.stdout).toMatch(out);
  });

  it("every command documents itself", async () => {
    const dir = fresh();
    for (const spec of commands) {
      const r = await kb([spec.name, "--help"], dir);
      expect(r.code, spec.name).toBe(0);
      expect(r.stdout, spec.name).toContain(spec.summary.slice(0, 30));
    }
  });

  it("--help leaves out the internal merge driver, which still runs for git", async () => {
    const dir = fresh();
    const help = await kb(["--help"], dir);
    expect(help.stdout).not.toContain("merge-driver");
    expect(help.stdout).toMatch(/^ {2}dedup /m);
    const own = await kb(["merge-driver", "--help"], dir);
    expect(own.code).toBe(0);
    expect(own.stdout).toContain("git's merge driver for brain files");
  });

  it("a bad config is a usage error naming the file and line, also as JSON", async () => {
    const bad = makeTree({ "kb.config.yaml": "brain: ./b\nsinc: {}\n" });
    const r = await kb(["scan", "--json"], bad);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: "CONFIG_INVALID", exitCode: 2 });
    expect(r.stderr).toContain(
      `${join(bad, "kb.config.yaml")}:2: "sinc" is not a known key; did you mean "sync"?`,
    );
  });
});

describe("the kb binary", () => {
  it("--version prints the package version", async () => {
    const r = await runKb(["--version"]);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")).version);
  });

  it("scan --json and doctor --json keep their contracts on the bundled brain", async () => {
    const scan = JSON.parse((await runKb(["scan", "--json", "--state", makeTree({})])).stdout);
    expect(Object.keys(scan)).toEqual(expect.arrayContaining(["files", "facts", "errors", "folders"]));
    expect(scan.files).toBeGreaterThanOrEqual(30);
    expect(scan.folders.map((f: { path: string }) => f.path)).toEqual(
      expect.arrayContaining([
        "company",
        "customer-service",
        "finance",
        "hr",
        "marketing",
        "merchandising",
        "retail",
      ]),
    );
    // --config: a bare kb in a checkout where npm start ran uses the demo instead.
    const doctor = await runKb(["doctor", "--json", "--config", "kb.config.yaml", "--state", makeTree({})]);
    const report = JSON.parse(doctor.stdout);
    expect(report.config).toEqual({
      path: join(repoRoot, "kb.config.yaml"),
      source: "flag",
      why: "--config was given",
    });
    for (const check of report.checks)
      expect(Object.keys(check)).toEqual(expect.arrayContaining(["id", "status", "message"]));
    expect(report.checks.map((c: { id: string }) => c.id)).toEqual(
      expect.arrayContaining(["config", "node", "git", "brain", "state-db"]),
    );
  });

  it("logs JSON lines on stderr when not a TTY and never prompts", async () => {
    const r = await runKb(["status", "--state", makeTree({})]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/no runs recorded yet/);
  });
});
