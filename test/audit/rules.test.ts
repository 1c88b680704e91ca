import { describe, expect, it } from "vitest";
import { addInterval, parseDay, parseInterval } from "../../src/audit/dates.js";
import { readReviewMeta } from "../../src/audit/meta.js";
import { buildLinkTargets } from "../../src/audit/resolve-links.js";
import { auditFile, defaultIntervals, type RuleContext } from "../../src/audit/rules.js";
import { analyseText } from "../../src/audit/text-analysis.js";
import { parseBrainText } from "../../src/brain/parse.js";

const TODAY = "2026-11-24";

function ctx(over: Partial<RuleContext> = {}): RuleContext {
  return {
    today: TODAY,
    dueSoonDays: 14,
    defaultInterval: defaultIntervals("90d", [{ paths: ["hr/**"], reviewEvery: "1y" }]),
    links: buildLinkTargets([], []),
    suggestOwner: () => "@folder.owner",
    superseded: [],
    ...over,
  };
}

/** Audit one file given its frontmatter lines and body. */
function audit(
  frontmatter: string,
  body = "# Title\n",
  path = "cs/policy.md",
  over: Partial<RuleContext> = {},
) {
  const text = `---\n${frontmatter}\n---\n${body}`;
  const parsed = parseBrainText(path, text, { size: text.length, mtimeMs: 0, hash: "x" });
  if (!parsed.ok) throw new Error(parsed.error.message);
  return auditFile(path, readReviewMeta(parsed.doc.frontmatter!.data), analyseText(text), ctx(over));
}

const codes = (r: ReturnType<typeof audit>) => r.details.map((d) => `${d.code}@${d.line}:${d.severity}`);

describe("review dates", () => {
  it("is ok when reviewed within its interval", () => {
    const r = audit("owner: a\nlast_reviewed: 2026-11-01\nreview_every: 90d");
    expect([r.status, r.due, r.reasons]).toEqual(["ok", "2027-01-30", []]);
  });

  it("flags EXPIRED on the line of the date that set the due day", () => {
    const r = audit("owner: a\nlast_reviewed: 2026-07-01\nreview_every: 30d");
    expect(codes(r)).toEqual(["EXPIRED@3:error"]);
    expect(r.details[0]!.text).toMatchInlineSnapshot(`"review was due 2026-07-31 (116 days ago)"`);
    expect(r.status).toBe("expired");
  });

  it("flags DUE_SOON within dueSoonDays, and not on the day after", () => {
    expect(codes(audit("owner: a\nlast_reviewed: 2026-09-01\nreview_every: 3mo"))).toEqual([
      "DUE_SOON@3:warning",
    ]);
    expect(codes(audit("owner: a\nlast_reviewed: 2026-09-10\nreview_every: 3mo"))).toEqual([]);
  });

  it("lets review_by / expires win over the interval", () => {
    expect(audit("owner: a\nlast_reviewed: 2026-11-20\nexpires: 2026-11-01").status).toBe("expired");
    expect(audit("owner: a\nlast_reviewed: 2025-01-01\nreview_by: 2027-06-01").status).toBe("ok");
  });

  it("uses the path's default interval when the file sets none", () => {
    expect(audit("owner: a\nlast_reviewed: 2026-03-01", "", "hr/leave.md").status).toBe("ok");
    expect(audit("owner: a\nlast_reviewed: 2026-03-01", "", "cs/leave.md").status).toBe("expired");
  });

  it("reads the aliases: last_reviewed_on, reviewed, review_in, stale_after, owner_slack", () => {
    expect(audit("owner_slack: '#cs'\nlast_reviewed_on: 2026-11-01\nreview_in: 6 months").due).toBe(
      "2027-05-01",
    );
    expect(audit("owner: a\nreviewed: 2026-10-01\nreview_cycle: quarterly").due).toBe("2027-01-01");
    expect(audit("owner: a\nlast-reviewed: 2026-10-01").due).toBe("2026-12-30");
    expect(audit("owner: a\nstale_after: 2026-11-02").status).toBe("expired");
  });

  it("skips age checks for evergreen files", () => {
    const r = audit("owner: a\nevergreen: true\nlast_reviewed: 2020-01-01");
    expect([r.status, r.reasons]).toEqual(["evergreen", []]);
  });
});

describe("INVALID_META", () => {
  it("is an error for a missing review date, never read as fresh", () => {
    const r = audit("owner: a\nupdated: 2026-11-23");
    expect(codes(r)).toEqual(["INVALID_META@1:error"]);
    expect(r.status).toBe("invalid");
  });

  it("names the key and line of a malformed date or interval", () => {
    const r = audit("owner: a\nlast_reviewed: 2026-13-01\nreview_every: sometimes");
    expect(r.details.map((d) => `${d.line} ${d.text}`)).toMatchInlineSnapshot(`
      [
        "3 last_reviewed: "2026-13-01" is not a date; expected YYYY-MM-DD",
        "4 review_every: "sometimes" is not an interval; expected e.g. 30d, 12w, 3mo, 1y, quarterly",
      ]
    `);
  });

  it("rejects a review date in the future", () => {
    expect(codes(audit("owner: a\nlast_reviewed: 2027-01-01"))).toEqual(["INVALID_META@3:error"]);
  });
});

describe("NO_OWNER", () => {
  it("suggests the folder's usual owner", () => {
    const r = audit("last_reviewed: 2026-11-01");
    expect(r.details.map((d) => `${d.code} ${d.text}`)).toEqual([
      "NO_OWNER no owner; suggest @folder.owner (usual owner of this folder)",
    ]);
  });

  it("is quiet when an owner is set, under any alias", () => {
    expect(audit("owners: [a, b]\nlast_reviewed: 2026-11-01").reasons).toEqual([]);
  });
});

describe("LAUNCH reasons", () => {
  it("turns review_reasons LAUNCH:<id> into an error and needs-review", () => {
    const r = audit(
      "owner: a\nlast_reviewed: 2026-11-01\nstatus: needs-review\nreview_reasons: [LAUNCH:fw26]",
    );
    expect([r.status, codes(r)]).toEqual(["needs-review", ["LAUNCH:fw26@5:error"]]);
  });

  it("ignores other review reasons", () => {
    expect(audit("owner: a\nlast_reviewed: 2026-11-01\nreview_reasons: [typo]").reasons).toEqual([]);
  });
});

describe("dates and intervals", () => {
  it("parses intervals people write", () => {
    expect(
      ["30d", "12w", "3mo", "1y", "90 days", "6 months", "quarterly", "P90D", 45, "soon", "0d"].map(
        (v) => parseInterval(v)?.text ?? null,
      ),
    ).toEqual(["30d", "12w", "3mo", "1y", "90 days", "6 months", "quarterly", "P90D", "45d", null, null]);
  });

  it("accepts only real calendar days", () => {
    expect(["2026-02-28", "2026-02-30", "2026-11-24T10:00:00Z", "24/11/2026", ""].map(parseDay)).toEqual([
      "2026-02-28",
      null,
      "2026-11-24",
      null,
      null,
    ]);
    expect(addInterval("2026-01-31", { days: 0, months: 1, text: "1mo" })).toBe("2026-02-28");
  });
});
