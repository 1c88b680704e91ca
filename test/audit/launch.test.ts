import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run as audit } from "../../src/cli/commands/audit.js";
import { run as verify } from "../../src/cli/commands/verify.js";
import { makeContext, type TestContext } from "../helpers/index.js";

const collections = [
  "---",
  "title: Collections",
  'owner: "@elin"   # merch lead',
  "last_reviewed: 2026-11-12",
  "review_every: 30d",
  "about:",
  "  - collection/fw26",
  "  - collection/ss26",
  "---",
  "",
  "# Collections",
  "",
  "- FW26 launches on 2026-12-01.",
  "- SS26 is our latest collection.",
  "",
].join("\n");

// CRLF, a BOM and an alias key: verify must keep all three.
const calendar = `\uFEFF---\r\nowner: '@jonas'\r\nlast_reviewed_on: 2026-11-01\r\ntags: [mkt]\r\n---\r\n# Calendar\r\n\r\n- The winter sale clears SS26 remainders.\r\n`;
const windows = `---\nowner: "@astrid"\nlast_reviewed: 2026-11-20\nstatus: active\n---\n# Windows\n\n- Windows follow [[collections]].\n`;
const unrelated = `---\nowner: "@maja"\nlast_reviewed: 2026-11-20\n---\n# Leave\n\n- 25 days of leave.\n`;

function brain() {
  return {
    "company/collections.md": collections,
    "marketing/calendar.md": calendar,
    "retail/windows.md": windows,
    "hr/leave.md": unrelated,
  };
}

const launchOpts = {
  launch: "fw26",
  about: ["collection/fw26"],
  supersedes: ["collection/ss26"],
  format: "md,json",
};
const read = (ctx: TestContext, p: string) => readFileSync(join(ctx.root, "brain", p), "utf8");

/** Lines that differ between two texts of the same line count, or added lines. */
function changedLines(before: string, after: string): string[] {
  const a = before.split("\n");
  return after.split("\n").filter((line) => !a.includes(line));
}

describe("launch gate end to end", () => {
  it("marks affected files, prints the checklist, exits 3 until verified and the wording is fixed", async () => {
    const ctx = makeContext({ brain: brain(), asOf: "2026-11-24" });

    const first = await audit(ctx, { args: [], opts: launchOpts });
    expect(first.exitCode).toBe(3);
    expect(
      first.text.slice(first.text.indexOf("## Launch"), first.text.indexOf("\n\nreports:")),
    ).toMatchInlineSnapshot(`
      "## Launch fw26: update the agent knowledge base

      3 affected files · 0 reviewed · 3 open · 1 blocking wording · gate **not passed**

      ### @astrid

      - [ ] \`retail/windows.md\` (links to company/collections.md); then \`kb verify retail/windows.md\`

      ### @elin

      - [ ] \`company/collections.md\` (about collection/fw26, collection/ss26; mentions fw26, ss26); then \`kb verify company/collections.md\`

      ### @jonas

      - [ ] \`marketing/calendar.md\` (mentions ss26); then \`kb verify marketing/calendar.md\`

      ### Wording that must change

      - [ ] \`company/collections.md:16\` "latest": SS26 is our latest collection."
    `);

    // Only the intended frontmatter lines changed.
    expect(changedLines(collections, read(ctx, "company/collections.md"))).toEqual([
      "status: needs-review",
      "review_reasons: [LAUNCH:fw26]",
    ]);
    expect(
      read(ctx, "company/collections.md").replace(
        "status: needs-review\nreview_reasons: [LAUNCH:fw26]\n",
        "",
      ),
    ).toBe(collections);
    expect(read(ctx, "marketing/calendar.md")).toBe(
      calendar.replace(
        "tags: [mkt]\r\n",
        "tags: [mkt]\r\nstatus: needs-review\r\nreview_reasons: [LAUNCH:fw26]\r\n",
      ),
    );
    expect(read(ctx, "retail/windows.md")).toBe(
      windows
        .replace("status: active", "status: needs-review")
        .replace("---\n#", "review_reasons: [LAUNCH:fw26]\n---\n#"),
    );
    expect(read(ctx, "hr/leave.md")).toBe(unrelated);

    // A re-run changes nothing more and still fails.
    const again = await audit(ctx, { args: [], opts: { launch: "fw26", format: "md" } });
    expect(again.exitCode).toBe(3);
    expect(read(ctx, "hr/leave.md")).toBe(unrelated);

    await verify(ctx, {
      args: ["company/collections.md", "marketing/calendar.md", "retail/windows.md"],
      opts: { by: "@elin" },
    });
    expect(read(ctx, "company/collections.md")).toBe(
      collections
        .replace("last_reviewed: 2026-11-12", "last_reviewed: 2026-11-24")
        .replace("---\n\n#", 'status: active\nreviewed_by: "@elin"\n---\n\n#'),
    );
    expect(read(ctx, "marketing/calendar.md")).toBe(
      calendar
        .replace("last_reviewed_on: 2026-11-01", "last_reviewed_on: 2026-11-24")
        .replace("tags: [mkt]\r\n", 'tags: [mkt]\r\nstatus: active\r\nreviewed_by: "@elin"\r\n'),
    );

    // Reviewed, but the superseded collection is still called "latest": the gate holds.
    const blocked = await audit(ctx, { args: [], opts: { launch: "fw26", format: "md" } });
    expect(blocked.exitCode).toBe(3);
    expect(blocked.text).toContain(
      '- [ ] `company/collections.md:16` "latest": SS26 is our latest collection.',
    );

    writeFileSync(
      join(ctx.root, "brain/company/collections.md"),
      read(ctx, "company/collections.md").replace(
        "SS26 is our latest collection.",
        "FW26 is the main collection from 2026-12-01.",
      ),
    );
    const passed = await audit(ctx, { args: [], opts: { launch: "fw26", format: "md" } });
    expect(passed.exitCode).toBe(0);
    expect(passed.text).toContain("gate **passed**");
  });

  it("changes nothing in a dry run but shows what it would mark", async () => {
    const ctx = makeContext({ brain: brain() });
    const out = await audit(ctx, { args: [], opts: { ...launchOpts, dryRun: true } });
    expect(out.exitCode).toBe(3);
    expect(out.text).toContain("dry run: no file marked, no report written");
    for (const [path, text] of Object.entries(brain())) expect(read(ctx, path)).toBe(text);
  });

  it("counts reviews since --since and does not mark those files", async () => {
    const ctx = makeContext({ brain: brain() });
    const out = await audit(ctx, { args: [], opts: { ...launchOpts, since: "2026-11-15" } });
    expect(read(ctx, "retail/windows.md")).toBe(windows);
    expect(out.text).toContain("- [x] `retail/windows.md`");
  });

  it("refuses a new launch without --about, naming the flag", async () => {
    const ctx = makeContext({ brain: brain() });
    await expect(
      audit(ctx, { args: [], opts: { launch: "ss27" } }),
    ).rejects.toThrowErrorMatchingInlineSnapshot(
      `[UsageError: launch ss27 is new: name what it is about with --about KEY (e.g. --about collection/fw26)]`,
    );
  });
});
