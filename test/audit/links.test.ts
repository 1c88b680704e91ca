import { describe, expect, it } from "vitest";
import { buildAudit } from "../../src/audit/build.js";
import { makeContext } from "../helpers/index.js";

const FM = "---\nowner: a\nlast_reviewed: 2026-11-20\n---\n";

/** A vault laid out the way Obsidian users keep one: nested folders, notes linked by name, attachments. */
const vault = {
  "Home.md": `${FM}# Home\n\n- Start with [[Returns]] and [[Shipping Policy|shipping]].\n- Team notes: [[people/Onboarding]].\n- Logo: ![[logo.png]] and ![diagram](assets/flow%20chart.svg).\n`,
  "policies/Returns.md": `${FM}# Returns\n\n## Refund window\n\n- 30 days. See [[Shipping Policy#Carriers]] and [[#Refund window]].\n- Exchanges: [[Returns#Exchanges]].\n`,
  "policies/deep/Shipping Policy.md": `${FM}# Shipping\n\n## Carriers\n\n- DHL. Back to [home](../../Home.md) or [returns](/policies/Returns.md#refund-window).\n`,
  "people/Onboarding.md": `${FM}# Onboarding\n\n- Read [[Handbook]] first.\n- Form: [[forms/leave.pdf]] and [sheet](../assets/missing.xlsx).\n- Folder: [policies](../policies/) and [[Returns.md]].\n`,
  "assets/logo.png": "png",
  "assets/flow chart.svg": "<svg/>",
  "attachments/forms/leave.pdf": "%PDF",
};

describe("BROKEN_LINK over a real vault layout", () => {
  it("resolves wikilinks by file name, paths, anchors and attachments; reports only the broken ones", async () => {
    const ctx = makeContext({ brain: vault });
    const report = await buildAudit(ctx);
    const broken = report.files.flatMap((f) =>
      f.details.filter((d) => d.code === "BROKEN_LINK").map((d) => `${f.path}:${d.line} ${d.text}`),
    );
    expect(broken).toMatchInlineSnapshot(`
      [
        "people/Onboarding.md:7 [[Handbook]]: no file named "Handbook"",
        "people/Onboarding.md:8 [sheet](../assets/missing.xlsx): no file at ../assets/missing.xlsx",
        "policies/Returns.md:10 [[Returns#Exchanges]]: no heading "#Exchanges" in policies/Returns.md",
      ]
    `);
    expect(report.files.find((f) => f.path === "Home.md")!.reasons).toEqual([]);
  });

  it("is deterministic and offline: external links are never checked", async () => {
    const ctx = makeContext({
      brain: {
        "a.md": `${FM}# A\n\n- [site](https://unreachable.invalid/x) [mail](mailto:x@y.z) [b](b.md#missing)\n`,
        "b.md": `${FM}# B\n`,
      },
    });
    const first = await buildAudit(ctx);
    const second = await buildAudit(ctx);
    const codes = (r: typeof first) =>
      r.files.flatMap((f) => f.details.map((d) => `${f.path}:${d.line} ${d.text}`));
    expect(codes(first)).toEqual(['a.md:7 [b](b.md#missing): no heading "#missing" in b.md']);
    expect(codes(second)).toEqual(codes(first));
    expect(second.stats.textCached).toBe(2);
  });

  it("prefers the note nearest the linking file when two share a name", async () => {
    const ctx = makeContext({
      brain: {
        "cs/index.md": `${FM}# CS\n\n- [[faq#Refunds]]\n`,
        "cs/faq.md": `${FM}# FAQ\n\n## Refunds\n`,
        "hr/faq.md": `${FM}# HR FAQ\n`,
      },
    });
    const report = await buildAudit(ctx);
    expect(report.files.flatMap((f) => f.reasons)).toEqual([]);
  });
});
