import { describe, expect, it } from "vitest";
import { readReviewMeta } from "../../src/audit/meta.js";
import { buildLinkTargets } from "../../src/audit/resolve-links.js";
import { auditFile, defaultIntervals } from "../../src/audit/rules.js";
import { analyseText } from "../../src/audit/text-analysis.js";
import { parseBrainText } from "../../src/brain/parse.js";

function temporal(body: string, options: { about?: string[]; superseded?: string[] } = {}) {
  const fm = `owner: a\nlast_reviewed: 2026-11-20${options.about ? `\nabout: [${options.about.join(", ")}]` : ""}`;
  const text = `---\n${fm}\n---\n${body}`;
  const parsed = parseBrainText("x.md", text, { size: 0, mtimeMs: 0, hash: "" });
  if (!parsed.ok) throw new Error(parsed.error.message);
  const r = auditFile("x.md", readReviewMeta(parsed.doc.frontmatter!.data), analyseText(text), {
    today: "2026-11-24",
    dueSoonDays: 14,
    defaultInterval: defaultIntervals("90d", []),
    links: buildLinkTargets([{ path: "x.md", headings: [] }], []),
    suggestOwner: () => null,
    superseded: options.superseded ?? [],
  });
  return r.details.filter((d) => d.code === "TEMPORAL_WORD").map((d) => `${d.line} ${d.severity} ${d.text}`);
}

describe("TEMPORAL_WORD", () => {
  it("flags relative-time words with their line and sentence", () => {
    const lines = [
      "# Stores",
      "",
      "- Oslo is currently closed on Sundays.",
      "- Our newest store opened in Bergen. Staff are trained.",
      "- Upcoming: the winter sale. This season's window is blue.",
      "Recently we moved the warehouse; right now it is in Kolding.",
    ];
    expect(temporal(lines.join("\n"))).toMatchInlineSnapshot(`
      [
        "7 warning "currently": Oslo is currently closed on Sundays.",
        "8 warning "newest": Our newest store opened in Bergen.",
        "9 warning "Upcoming": Upcoming: the winter sale.",
        "9 warning "This season": This season's window is blue.",
        "10 warning "Recently": Recently we moved the warehouse;",
        "10 warning "right now": right now it is in Kolding.",
      ]
    `);
  });

  it("does not flag words inside other words, code, comments, link targets or place names", () => {
    const body = [
      "- The known issue is documented. Renewal is yearly.",
      "- Run `kb audit --now` in a shell.",
      "- Free shipping. <!-- kb: cs 2026-11-20 latest -->",
      "- See [the guide](docs/new-guide.md) and https://example.com/latest.",
      "- Our New York partner ships from New Jersey.",
      "```",
      "currently inside a code block",
      "```",
    ].join("\n");
    expect(temporal(body)).toEqual([]);
  });

  it("flags dated phrases only once they are in the past", () => {
    const body = [
      "- Free returns until 2026-10-31.",
      "- The pop-up runs until 2027-01-15.",
      "- Targets were set in Q3 2025.",
      "- Q4 2026 targets are set.",
      "- The sale ends 30 September 2026.",
      "- Valid through March 3, 2027.",
      "- Summer 2026 campaign was a success.",
      "- The pop-up runs through summer 2026.",
    ].join("\n");
    expect(temporal(body)).toMatchInlineSnapshot(`
      [
        "5 warning "until 2026-10-31" is in the past: Free returns until 2026-10-31.",
        "7 warning "Q3 2025" is in the past: Targets were set in Q3 2025.",
        "9 warning "ends 30 September 2026" is in the past: The sale ends 30 September 2026.",
        "12 warning "through summer 2026" is in the past: The pop-up runs through summer 2026.",
      ]
    `);
  });

  it("is an error when the sentence names an entity from `about` or a superseded entity", () => {
    const body =
      "- SS26 is our latest collection.\n- The latest newsletter went out.\n- FW25 is the newest range.";
    expect(temporal(body, { about: ["collection/ss26"] })).toEqual([
      '6 error "latest": SS26 is our latest collection.',
      '7 warning "latest": The latest newsletter went out.',
      '8 warning "newest": FW25 is the newest range.',
    ]);
    expect(temporal(body, { superseded: ["collection/fw25"] })[2]).toBe(
      '7 error "newest": FW25 is the newest range.',
    );
  });

  it("is suppressed per block with <!-- kb-ignore temporal -->", () => {
    const body = [
      "<!-- kb-ignore temporal -->",
      "- Currently suppressed.",
      "- Latest also suppressed, same block.",
      "",
      "- Currently flagged again.",
      "- Newest suppressed on this line only. <!-- kb-ignore temporal -->",
      "- Latest flagged.",
    ].join("\n");
    expect(temporal(body)).toEqual([
      '9 warning "Currently": Currently flagged again.',
      '11 warning "Latest": Latest flagged.',
    ]);
  });
});
