import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lastEdits } from "../../src/audit/git-age.js";
import { git } from "../../src/runtime/git.js";
import { makeTree } from "../helpers/index.js";

async function commit(cwd: string, message: string, date: string) {
  const env = { GIT_AUTHOR_DATE: `${date}T10:00:00Z`, GIT_COMMITTER_DATE: `${date}T10:00:00Z` };
  await git(["add", "-A"], { cwd });
  await git(["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", message], { cwd, env });
}

describe("git history as a secondary signal", () => {
  it("takes the last real edit, ignoring kb's own commits and bulk formatter commits", async () => {
    const many = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`brain/f${i}.md`, `# ${i}\n`]));
    const repo = makeTree({ ...many, "brain/a.md": "# A\n", "outside.md": "x\n" });
    await git(["init", "-q"], { cwd: repo });
    await commit(repo, "Add the brain", "2026-01-05");
    writeFileSync(join(repo, "brain/a.md"), "# A\n\n- edited by a person\n");
    await commit(repo, "Edit a", "2026-03-10");
    writeFileSync(join(repo, "brain/a.md"), "# A\n\n- deduplicated\n");
    await commit(repo, "kb dedup: remove 1 duplicate", "2026-06-01");
    for (let i = 0; i < 25; i++) writeFileSync(join(repo, `brain/f${i}.md`), `# ${i}\n\n`);
    writeFileSync(join(repo, "brain/a.md"), "# A\n\n- deduplicated\n\n");
    await commit(repo, "Format every file", "2026-07-01");

    const edits = await lastEdits(join(repo, "brain"));
    expect(edits.get("a.md")).toBe("2026-03-10");
    // The initial import touched 27 files: bulk too, so f0 has no meaningful edit on record.
    expect(edits.has("f0.md")).toBe(false);
    expect(edits.has("outside.md")).toBe(false);
  });

  it("returns nothing outside a git repository", async () => {
    expect((await lastEdits(makeTree({ "a.md": "# A\n" }))).size).toBe(0);
  });
});
