import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { kbInProcess, repoRoot, tempDir } from "../helpers/index.js";

/** A copy of the checkout's sample: its kb.config.yaml (sample: true) and brain/. */
function sampleCheckout(): string {
  const root = tempDir("kb-sample-");
  cpSync(join(repoRoot, "brain"), join(root, "brain"), { recursive: true });
  cpSync(join(repoRoot, "kb.config.yaml"), join(root, "kb.config.yaml"));
  return root;
}

/** Every file under `dir` with its content, to prove nothing changed. */
function snapshotTree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[relative(dir, path)] = readFileSync(path, "utf8");
  }
  return files;
}

describe("the bundled sample brain is never written", () => {
  it("the committed kb.config.yaml marks itself as the sample", () => {
    expect(readFileSync(join(repoRoot, "kb.config.yaml"), "utf8")).toMatch(/^sample: true$/m);
  });

  it.each([
    [["run", "nightly"]],
    [["run", "dedup"]],
    [["dedup"]],
    [["verify", "brain/finance/payments.md"]],
    [["audit", "--launch", "fw26", "--about", "collection/fw26"]],
    [["mine"]],
    [["sync"]],
    [["init"]],
    [["undo", "1"]],
    [["accept", "kb/mine/x"]],
    [["reject", "kb/mine/x"]],
    [["daemon"]],
  ])("kb %j refuses with exit 2, says what to do, and changes no sample file", async (args) => {
    const root = sampleCheckout();
    const before = snapshotTree(join(root, "brain"));
    const r = await kbInProcess(["--as-of", "2026-11-24", ...args], root);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.replaceAll(root, "<checkout>")).toContain(
      `kb ${args[0]} would change the bundled sample brain <checkout>/brain, which stays as committed (<checkout>/kb.config.yaml says sample: true).\n` +
        "Run npm start once: it copies the sample to .kb/demo/, and kb then acts on that copy when run in this folder.\n" +
        "For your own brain, pass --config FILE or set KB_CONFIG; --dry-run works on the sample.",
    );
    expect(snapshotTree(join(root, "brain"))).toEqual(before);
  });

  it("read-only commands, plain audits and dry runs keep working on the sample", async () => {
    const root = sampleCheckout();
    const before = snapshotTree(join(root, "brain"));
    for (const args of [
      ["scan"],
      ["search", "refund"],
      ["status"],
      ["audit", "--fail-on", "never"],
      ["dedup", "--dry-run"],
    ]) {
      const r = await kbInProcess(["--as-of", "2026-11-24", ...args], root);
      expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(0);
    }
    expect(snapshotTree(join(root, "brain"))).toEqual(before);
  });

  it("a --brain of the operator's own is not the sample", async () => {
    const root = sampleCheckout();
    const own = tempDir();
    cpSync(join(root, "brain"), own, { recursive: true });
    const r = await kbInProcess(["--brain", own, "verify", join(own, "finance/payments.md")], root);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^verified /);
  });
});

describe("a bare kb in the checkout finds the demo npm start made", () => {
  function withDemo(): { root: string; demo: string } {
    const root = sampleCheckout();
    const demo = join(root, ".kb/demo");
    mkdirSync(demo, { recursive: true });
    cpSync(join(root, "brain"), join(demo, "brain"), { recursive: true });
    writeFileSync(
      join(demo, "kb.config.yaml"),
      "host: demo\nbrain: ./brain\nstate: ./state\nreports: ./reports\nignore: [README.md]\n",
    );
    return { root, demo };
  }

  it("uses .kb/demo/kb.config.yaml, says so in kb doctor, and writes the demo's brain and reports", async () => {
    const { root, demo } = withDemo();
    const sample = snapshotTree(join(root, "brain"));
    const doctor = await kbInProcess(["doctor"], root);
    expect(doctor.stdout.split("\n")[0]?.replaceAll(root, "<checkout>")).toMatchInlineSnapshot(
      `"config: <checkout>/.kb/demo/kb.config.yaml — ./kb.config.yaml is the bundled sample (sample: true) and npm start made its demo; using .kb/demo/kb.config.yaml (pass --config kb.config.yaml for the sample itself)"`,
    );
    const verify = await kbInProcess(["--as-of", "2026-11-24", "verify", "finance/payments.md"], root);
    expect(verify.code, verify.stderr).toBe(0);
    expect(readFileSync(join(demo, "brain/finance/payments.md"), "utf8")).toContain(
      "last_reviewed: 2026-11-24",
    );
    const audit = await kbInProcess(
      ["--as-of", "2026-11-24", "audit", "--fail-on", "never", "--format", "md"],
      root,
    );
    expect(audit.code, audit.stderr).toBe(0);
    expect(readdirSync(join(demo, "reports"))).toContain("audit-2026-11-24.md");
    expect(snapshotTree(join(root, "brain"))).toEqual(sample);
  });

  it("--config kb.config.yaml still names the sample, and a write then points at the demo", async () => {
    const { root } = withDemo();
    const r = await kbInProcess(["--config", "kb.config.yaml", "dedup"], root);
    expect(r.code).toBe(2);
    expect(r.stderr.replaceAll(root, "<checkout>")).toContain(
      "The demo copy npm start made is <checkout>/.kb/demo/kb.config.yaml: run kb in <checkout> without --config (or with --config <checkout>/.kb/demo/kb.config.yaml).",
    );
  });
});
