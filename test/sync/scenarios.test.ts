import { describe, expect, it } from "vitest";
import { snapshot, twoHosts } from "./fixture.js";

describe("kb sync between two hosts through a bare hub", () => {
  it("keeps facts both hosts added to one file, and converges with no further commits", async () => {
    const { a, b } = await twoHosts();
    a.write(
      "returns.md",
      a.read("returns.md").replace("- Gift cards", "- Exchanges are free.\n- Gift cards"),
    );
    b.write("returns.md", b.read("returns.md") + "- Swimwear must be unworn.\n");
    expect((await a.sync()).data.result).toBe("ok");
    const rb = await b.sync();
    expect(rb.data).toMatchObject({ result: "ok", commitsIn: 1, commitsOut: 2 });
    const ra = await a.sync();
    expect(ra.data).toMatchObject({ result: "ok", commitsIn: 2, commitsOut: 0 });
    expect(b.read("returns.md")).toContain("- Exchanges are free.\n");
    expect(b.read("returns.md")).toContain("- Swimwear must be unworn.\n");
    expect(snapshot(a)).toEqual(snapshot(b));
    const head = a.git("rev-parse", "HEAD");
    await b.sync();
    await a.sync();
    expect(a.git("rev-parse", "HEAD")).toBe(head);
    expect(b.git("rev-parse", "HEAD")).toBe(head);
    expect(a.git("log", "-1", "--format=%an|%s")).toMatch(/^kb sync\|kb sync: beta: merge hub\/main$/);
  });

  it("keeps both versions of a fact both hosts edited, reports the conflict, exits 3", async () => {
    const { a, b } = await twoHosts();
    a.write("returns.md", a.read("returns.md").replace("30 days", "45 days"));
    b.write("returns.md", b.read("returns.md").replace("30 days", "60 days"));
    await a.sync();
    const rb = await b.sync();
    expect(rb.exitCode).toBe(3);
    expect(rb.data.result).toBe("conflict");
    expect(rb.data.conflicts.map((c) => [c.path, c.kind])).toEqual([["returns.md", "fact-edited-both"]]);
    expect(b.read("returns.md")).toContain(
      "45 days. <!-- kb:conflict -->\n- Returns accepted within 60 days. <!-- kb:conflict -->",
    );
    expect(rb.data.report).toMatch(/reports\/sync\/2026-11-24-beta-run\d+\.md$/);
    const ra = await a.sync();
    expect(ra.data.result).toBe("conflict");
    expect(ra.data.unresolved.marked).toEqual(["returns.md"]);
    expect(snapshot(a)).toEqual(snapshot(b));
  });
});
