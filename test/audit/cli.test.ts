import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot, runKb, tempDir } from "../helpers/index.js";

/** The bundled sample brain, copied so the committed files are never written. */
function sampleBrain(): { root: string; config: string } {
  const root = tempDir();
  cpSync(join(repoRoot, "brain"), join(root, "brain"), { recursive: true });
  const config = join(root, "kb.config.yaml");
  writeFileSync(config, "host: t\nbrain: ./brain\nstate: ./state\nreports: ./reports\nignore: [README.md]\n");
  return { root, config };
}

describe("kb audit / kb verify (built binary, no TTY)", () => {
  it("audits the bundled brain reproducibly with --as-of and prints the stable JSON", async () => {
    const { root, config } = sampleBrain();
    const args = ["--config", config, "--as-of", "2026-11-24", "--json", "audit", "--format", "json"];
    const first = await runKb(args, { cwd: root });
    const second = await runKb(args, { cwd: root });
    expect(first.code).toBe(1);
    const data = JSON.parse(first.stdout);
    expect(JSON.parse(second.stdout).findings).toEqual(data.findings);
    expect(data.asOf).toBe("2026-11-24");
    const reasons = new Set(data.findings.flatMap((f: { reasons: string[] }) => f.reasons));
    for (const code of ["EXPIRED", "DUE_SOON", "INVALID_META", "NO_OWNER", "TEMPORAL_WORD", "BROKEN_LINK"]) {
      expect(reasons).toContain(code);
    }
    const never = await runKb(
      ["--config", config, "--as-of", "2026-11-24", "audit", "--fail-on", "never", "--format", "md"],
      { cwd: root },
    );
    expect(never.code).toBe(0);
    expect(never.stdout.split("\n")[0]).toMatch(
      /^\d+% of \d+ files reviewed within their interval \(target 80%\)/,
    );
  });

  it("holds the launch gate with exit 3, and verify stamps only the intended lines", async () => {
    const { root, config } = sampleBrain();
    const kb = (...a: string[]) => runKb(["--config", config, "--as-of", "2026-11-24", ...a], { cwd: root });
    const before = readFileSync(join(root, "brain/company/collections.md"), "utf8");
    const gate = await kb(
      "audit",
      "--launch",
      "fw26",
      "--about",
      "collection/fw26",
      "--supersedes",
      "collection/ss26",
    );
    expect(gate.code).toBe(3);
    expect(gate.stdout).toContain("## Launch fw26: update the agent knowledge base");
    const marked = readFileSync(join(root, "brain/company/collections.md"), "utf8");
    expect(marked.split("\n").filter((l) => !before.split("\n").includes(l))).toEqual([
      "status: needs-review",
      "review_reasons: [LAUNCH:fw26]",
    ]);
    const verified = await kb("verify", "brain/company/collections.md", "--by", "@elin.merch");
    expect(verified.code).toBe(0);
    const after = readFileSync(join(root, "brain/company/collections.md"), "utf8");
    expect(after.split("\n").filter((l) => !before.split("\n").includes(l))).toEqual([
      "last_reviewed: 2026-11-24",
      "status: active",
    ]);
    expect(after.split("\n").length).toBe(before.split("\n").length + 1);
    const missing = await kb("verify", "nope.md");
    expect([missing.code, missing.stderr.trim()]).toEqual([
      2,
      expect.stringContaining("nope.md: no such file in the brain"),
    ]);
  });
});
