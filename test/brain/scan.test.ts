import { spawnSync } from "node:child_process";
import { chmodSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scanBrain } from "../../src/brain/scan.js";
import { editBrainFile } from "../../src/brain/write.js";
import { openDb } from "../../src/state/db.js";
import { makeTree, repoRoot, skipping, tempDir } from "../helpers/index.js";

const good = "---\ntitle: Good\n---\n\n# Good\n\n- A fact.\n- Another fact.\n";

describe("scanning the brain", () => {
  it("skips dotfiles, .git, _archive and ignored globs, and lists attachments", () => {
    const brain = makeTree({
      "a/one.md": good,
      "a/.hidden.md": good,
      ".git/config.md": good,
      "_archive/a/one.md": good,
      "README.md": "# For people\n\n- not a fact\n",
      "a/pic.png": "png",
    });
    const result = scanBrain({ brain, ignore: ["README.md"] });
    expect(result.docs.map((d) => d.path)).toEqual(["a/one.md"]);
    expect(result.assets).toEqual(["a/pic.png"]);
    expect(scanBrain({ brain, includeArchive: true, ignore: ["README.md"] }).docs.map((d) => d.path)).toEqual(
      ["_archive/a/one.md", "a/one.md"],
    );
  });

  it("re-parses only what changed, and notices touched-but-identical files", () => {
    const brain = makeTree({ "a.md": good, "b.md": good, "c.md": good });
    const db = openDb(tempDir());
    try {
      expect(scanBrain({ brain, db }).stats).toMatchObject({ parsed: 3, cached: 0, facts: 6 });
      expect(scanBrain({ brain, db }).stats).toMatchObject({ parsed: 0, cached: 3 });
      writeFileSync(join(brain, "b.md"), `${good}- Third fact.\n`);
      const later = new Date(Date.now() + 5000);
      utimesSync(join(brain, "c.md"), later, later);
      const third = scanBrain({ brain, db });
      expect(third.stats).toMatchObject({ parsed: 1, cached: 1, facts: 7 });
      expect(third.docs.find((d) => d.path === "b.md")!.facts.map((f) => f.text)).toEqual([
        "A fact.",
        "Another fact.",
        "Third fact.",
      ]);
      // A cached document's facts are the same as a fresh parse's.
      const cached = scanBrain({ brain, db }).docs.find((d) => d.path === "b.md")!;
      const fresh = scanBrain({ brain }).docs.find((d) => d.path === "b.md")!;
      expect(cached.facts).toEqual(fresh.facts);
    } finally {
      db.close();
    }
  });
});

describe("bad input: a clear error per file, and nothing written", () => {
  function badBrain() {
    const brain = makeTree({
      "ok.md": good,
      "yaml.md": "---\ntitle: x\nowner: [a\n---\n- fact\n",
      "utf8.md": Buffer.concat([Buffer.from("# Bad\n\n- caf"), Buffer.from([0xc3, 0x28]), Buffer.from("\n")]),
      "binary.md": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]),
      "big.md": `# Big\n\n${"- fact\n".repeat(400)}`,
    });
    const outside = makeTree({ "secret.md": good });
    symlinkSync(join(outside, "secret.md"), join(brain, "escape.md"));
    symlinkSync(join(brain, "ok.md"), join(brain, "inside.md"));
    return brain;
  }

  it("reports each problem with its path and reason code", () => {
    const brain = badBrain();
    const result = scanBrain({ brain, maxFileBytes: 1000 });
    expect(result.docs.map((d) => d.path)).toEqual(["ok.md"]);
    expect(result.errors.map((e) => [e.path, e.code, e.line ?? null, e.message])).toMatchInlineSnapshot(`
      [
        [
          "escape.md",
          "SYMLINK_ESCAPE",
          null,
          "symbolic link points outside the brain (or nowhere); not followed",
        ],
        [
          "inside.md",
          "SYMLINK",
          null,
          "symbolic link inside the brain; not followed (use a real file or folder)",
        ],
        [
          "big.md",
          "TOO_LARGE",
          null,
          "file is 2807 bytes; the limit is 1000 (limits.maxFileBytes)",
        ],
        [
          "binary.md",
          "BINARY",
          null,
          "binary content (NUL byte at offset 4)",
        ],
        [
          "utf8.md",
          "INVALID_UTF8",
          null,
          "invalid UTF-8 at byte 13",
        ],
        [
          "yaml.md",
          "BAD_YAML",
          3,
          "invalid YAML in frontmatter: Flow sequence in block collection must be sufficiently indented and end with a ]",
        ],
      ]
    `);
  });

  it("refuses to write any of them and leaves every byte as it was", async () => {
    const brain = badBrain();
    const before = ["yaml.md", "utf8.md", "binary.md", "big.md"].map((p) => readFileSync(join(brain, p)));
    for (const path of ["yaml.md", "utf8.md", "binary.md", "big.md", "escape.md"]) {
      await expect(
        editBrainFile(brain, path, () => [{ start: 0, end: 0, text: "x" }], { maxFileBytes: 1000 }),
      ).rejects.toThrow();
    }
    expect(["yaml.md", "utf8.md", "binary.md", "big.md"].map((p) => readFileSync(join(brain, p)))).toEqual(
      before,
    );
  });

  it("flags world-writable folders and refuses to write into them", async () => {
    const brain = makeTree({ "shared/a.md": good });
    chmodSync(join(brain, "shared"), 0o777);
    const result = scanBrain({ brain });
    expect(result.errors).toEqual([expect.objectContaining({ path: "shared", code: "WORLD_WRITABLE" })]);
    await expect(
      editBrainFile(brain, "shared/a.md", (t) => [{ start: t.length, end: t.length, text: "- x\n" }]),
    ).rejects.toThrow(/world-writable; kb will not write there \(fix: chown to the kb user and chmod o-w\)/);
    expect(readFileSync(join(brain, "shared/a.md"), "utf8")).toBe(good);
  });

  it.skipIf(
    skipping(
      "reports unreadable files",
      process.getuid?.() === 0 ? null : "needs root, to make a file unreadable and read it as another user",
    ),
  )("reports unreadable files (checked as an unprivileged user)", () => {
    const brain = makeTree({ "ok.md": good, "locked.md": good });
    chmodSync(join(brain, "locked.md"), 0o000);
    for (let dir = brain; dir !== "/"; dir = join(dir, "..")) {
      if (dir.startsWith("/tmp/") || dir === "/tmp") chmodSync(dir, 0o755);
    }
    // Load kb as root, then drop to an unprivileged user before scanning: root reads everything,
    // and the checkout itself need not be readable by that user.
    const scanModule = join(repoRoot, "dist/src/brain/scan.js");
    const script = `const { scanBrain } = await import(${JSON.stringify(scanModule)});
      process.setgid(65534); process.setuid(65534);
      const r = scanBrain({ brain: ${JSON.stringify(brain)} });
      console.log(JSON.stringify({ errors: r.errors, files: r.stats.files }));`;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: brain,
      encoding: "utf8",
    });
    expect(run.stderr).toBe("");
    const out = JSON.parse(run.stdout);
    expect(out.errors).toEqual([
      { path: "locked.md", code: "UNREADABLE", message: "cannot read file (EACCES)" },
    ]);
    expect(out.files).toBe(2);
  });
});
