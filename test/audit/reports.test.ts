import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run as audit } from "../../src/cli/commands/audit.js";
import { makeContext, onCleanup, skipping } from "../helpers/index.js";

const fm = (lines: string) => `---\n${lines}\n---\n`;
const brain = {
  "cs/returns.md": `${fm("owner: '@sofie'\nlast_reviewed: 2026-11-01")}# Returns\n\n- 30 days.\n`,
  "cs/faq.md": `${fm("owner: '@sofie'\nlast_reviewed: 2026-05-01\nabout: [collection/ss26]")}# FAQ\n\n- SS26 is our latest collection.\n- See [[nowhere]].\n`,
  "hr/leave.md": `${fm("last_reviewed: 2026-11-20")}# Leave\n\n- 25 days.\n`,
};

describe("audit reports", () => {
  it("writes dated md, json and html; --json prints the stable schema; exit follows --fail-on", async () => {
    const ctx = makeContext({ brain, asOf: "2026-11-24" });
    const out = await audit(ctx, { args: [], opts: { failOn: "error" } });
    expect(out.exitCode).toBe(1);
    for (const ext of ["md", "json", "html"])
      expect(existsSync(join(ctx.root, `reports/audit-2026-11-24.${ext}`))).toBe(true);
    const json = JSON.parse(readFileSync(join(ctx.root, "reports/audit-2026-11-24.json"), "utf8"));
    expect(json).toEqual(out.data);
    expect(Object.keys(json)).toEqual([
      "asOf",
      "files",
      "summary",
      "findings",
      "contested",
      "unanswered",
      "reads",
      "autonomy",
    ]);
    expect(json.findings).toMatchInlineSnapshot(`
      [
        {
          "details": [
            {
              "code": "EXPIRED",
              "line": 3,
              "severity": "error",
              "text": "review was due 2026-07-30 (117 days ago)",
            },
            {
              "code": "TEMPORAL_WORD",
              "line": 8,
              "severity": "error",
              "text": ""latest": SS26 is our latest collection.",
            },
            {
              "code": "BROKEN_LINK",
              "line": 9,
              "severity": "error",
              "text": "[[nowhere]]: no file named "nowhere"",
            },
          ],
          "due": "2026-07-30",
          "owner": "@sofie",
          "path": "cs/faq.md",
          "reasons": [
            "EXPIRED",
            "TEMPORAL_WORD",
            "BROKEN_LINK",
          ],
          "status": "expired",
        },
        {
          "details": [
            {
              "code": "NO_OWNER",
              "line": 1,
              "severity": "warning",
              "text": "no owner",
            },
          ],
          "due": "2027-02-18",
          "owner": null,
          "path": "hr/leave.md",
          "reasons": [
            "NO_OWNER",
          ],
          "status": "ok",
        },
      ]
    `);
    expect(json.summary.reviewedPct).toBe(0.667);

    expect((await audit(ctx, { args: [], opts: { failOn: "never" } })).exitCode).toBe(0);
    const clean = makeContext({ brain: { "a.md": brain["cs/returns.md"] } });
    expect((await audit(clean, { args: [], opts: { failOn: "warning" } })).exitCode).toBe(0);
    expect(await audit(ctx, { args: [], opts: { failOn: "sometimes" } }).catch((e: Error) => e.message)).toBe(
      '--fail-on "sometimes" is not valid; expected error, warning or never',
    );
  });

  it("puts the summary first and groups failures by owner then folder in markdown", async () => {
    const ctx = makeContext({ brain, asOf: "2026-11-24" });
    await audit(ctx, { args: [], opts: { format: "md" } });
    expect(readFileSync(join(ctx.root, "reports/audit-2026-11-24.md"), "utf8")).toMatchInlineSnapshot(`
      "# Brain audit, 2026-11-24

      **67% of 3 files reviewed within their interval** (target 80%, not met) · 3 errors · 1 warning

      | reason | files |
      |---|---:|
      | BROKEN_LINK | 1 |
      | EXPIRED | 1 |
      | NO_OWNER | 1 |
      | TEMPORAL_WORD | 1 |

      Decay: 33% of files not reviewed for over 30 days, 33% for over 90 days.

      ## Files to act on, by owner

      ### (no owner) (1)

      **hr/**

      - [ ] \`hr/leave.md\` — ok, due 2027-02-18: NO_OWNER
        - line 1 NO_OWNER: no owner

      ### @sofie (1)

      **cs/**

      - [ ] \`cs/faq.md\` — expired, due 2026-07-30: EXPIRED, TEMPORAL_WORD, BROKEN_LINK
        - line 3 **EXPIRED**: review was due 2026-07-30 (117 days ago)
        - line 8 **TEMPORAL_WORD**: "latest": SS26 is our latest collection.
        - line 9 **BROKEN_LINK**: \\[\\[nowhere\\]\\]: no file named "nowhere"

      ## Unowned files

      - \`hr/leave.md\`
      "
    `);
  });

  it("trends against earlier snapshots stored in SQLite", async () => {
    const ctx = makeContext({ brain, asOf: "2026-11-24" });
    await audit(ctx, { args: [], opts: { format: "json" } });
    const later = makeContext({ root: ctx.root, brain: {}, asOf: "2027-02-10" });
    const out = (await audit(later, { args: [], opts: { format: "json" } })).data as {
      summary: { trend: unknown[] };
    };
    expect(out.summary.trend).toEqual([
      { asOf: "2026-11-24", files: 3, reviewedPct: 0.667 },
      { asOf: "2027-02-10", files: 3, reviewedPct: 0.333 },
    ]);
  });

  const chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
  it.skipIf(
    skipping(
      "renders the HTML page in headless Chromium",
      chromium
        ? null
        : "Chromium is not installed (Debian package chromium; scripts/test-deps.sh installs it)",
    ),
  )(
    "renders the HTML page in headless Chromium without console errors (skips when Debian chromium is not installed)",
    async () => {
      const ctx = makeContext({ brain, asOf: "2026-11-24" });
      await audit(ctx, { args: [], opts: { format: "html" } });
      const html = join(ctx.root, "reports/audit-2026-11-24.html");
      const page = readFileSync(html, "utf8");
      expect(page).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
      expect(page.match(/<svg /g)).toHaveLength(3);
      const profile = mkdtempSync(join(tmpdir(), "kb-chromium-"));
      onCleanup(() => rmSync(profile, { recursive: true, force: true }));
      const shot = join(profile, "shot.png");
      const result = spawnSync(
        chromium!,
        [
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          `--user-data-dir=${profile}`,
          "--enable-logging=stderr",
          "--v=0",
          "--window-size=1200,1400",
          `--screenshot=${shot}`,
          `file://${html}`,
        ],
        { encoding: "utf8", timeout: 60_000 },
      );
      expect(result.status).toBe(0);
      expect(result.stderr.split("\n").filter((l) => /CONSOLE/.test(l))).toEqual([]);
      expect(readFileSync(shot).subarray(1, 4).toString()).toBe("PNG");
      expect(readFileSync(shot).length).toBeGreaterThan(20_000);
    },
  );
});
