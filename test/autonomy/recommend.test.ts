import { describe, expect, it } from "vitest";
import { holds } from "../../src/autonomy/assess.js";
import { folderResolver } from "../../src/autonomy/folders.js";
import { type FolderRecord, type Outcome, recommend } from "../../src/autonomy/recommend.js";

const schedule = { shadowDays: 14, minReviewed: 10, cleanLast: 10, spacingHours: 48 };
const now = new Date("2026-12-08T12:00:00Z");

function folder(
  name: string,
  days: number,
  latest: Outcome[],
  extra: Partial<FolderRecord> = {},
): FolderRecord {
  return {
    folder: name,
    mode: "review",
    configured: "review",
    demotion: null,
    daysInMode: days,
    since: null,
    reviewed: latest.length,
    accepted: latest.filter((o) => o === "accepted").length,
    edited: latest.filter((o) => o === "edited").length,
    rejected: latest.filter((o) => o === "rejected").length,
    pending: 0,
    applied: 0,
    reverted: 0,
    latest: latest.slice(0, 10),
    ...extra,
  };
}
const ok = (n: number): Outcome[] => Array(n).fill("accepted");
const actions = (folders: FolderRecord[], last: { folder: string; at: string } | null = null) =>
  Object.fromEntries([...recommend(folders, schedule, now, last)].map(([f, r]) => [f, r.action]));

describe("the promotion rule", () => {
  it("holds at exactly 14 days, 10 reviewed and a clean last 10; one step short of any of them it does not", () => {
    const alone = (list: FolderRecord[]) =>
      Object.fromEntries(list.map((f) => [f.folder, actions([f])[f.folder]]));
    expect(
      alone([
        folder("exact", 14, ok(10)),
        folder("day-short", 13, ok(40)),
        folder("one-short", 30, ok(9)),
        folder("edited-10th", 30, [...ok(9), "edited", ...ok(5)]),
        folder("rejected-11th", 30, [...ok(10), "rejected"]),
        folder("empty", 60, []),
      ]),
    ).toMatchInlineSnapshot(`
      {
        "day-short": "stay-in-review",
        "edited-10th": "stay-in-review",
        "empty": "stay-in-review",
        "exact": "promote",
        "one-short": "stay-in-review",
        "rejected-11th": "promote",
      }
    `);
  });

  it("moves one folder per 48 hours", () => {
    const two = [folder("a", 20, ok(12)), folder("b", 20, ok(11))];
    expect(actions(two)).toMatchInlineSnapshot(`
      {
        "a": "promote",
        "b": "wait",
      }
    `);
    expect(actions(two, { folder: "c", at: "2026-12-06T12:00:01Z" })).toMatchInlineSnapshot(`
      {
        "a": "wait",
        "b": "wait",
      }
    `);
    expect(actions(two, { folder: "c", at: "2026-12-06T12:00:00Z" })).toMatchInlineSnapshot(`
      {
        "a": "promote",
        "b": "wait",
      }
    `);
  });
});

describe("what counts as kb's change still standing", () => {
  it("reads bullet facts without their kb comments, and a missing file as gone", () => {
    const text =
      "# P\n\n- Payouts are reconciled every Monday. <!-- kb: finance 2026-11-20 s/e -->\n- Old value.\n";
    expect(holds(text, { present: "Payouts are reconciled every Monday.", absent: null })).toBe(true);
    expect(holds(text, { present: "Payouts are reconciled every Friday.", absent: null })).toBe(false);
    expect(holds(text, { present: null, absent: "Old value." })).toBe(false);
    expect(holds(null, { present: null, absent: "Old value." })).toBe(true);
    expect(holds(null, { present: "Payouts are reconciled every Monday.", absent: null })).toBe(false);
  });

  it("names a change's folder by the first autonomy pattern, a whole-folder pattern by the folder", () => {
    const of = folderResolver([
      { paths: ["marketing/campaigns/*.md"], mode: "apply" },
      { paths: ["finance/**"], mode: "apply" },
    ]);
    expect(["marketing/campaigns/fw26.md", "marketing/brand.md", "finance/x/y.md", "top.md"].map(of)).toEqual(
      ["marketing/campaigns/*.md", "marketing", "finance", "."],
    );
  });
});
