import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run as reject } from "../../src/cli/commands/reject.js";
import { tempDir } from "../helpers/index.js";
import { git, type Host, twoHosts } from "./fixture.js";

/** A review branch with one commit, made the way `kb mine` makes it: in a separate worktree. */
function reviewBranch(host: Host, branch: string, file: string, line: string): string {
  const wt = join(tempDir("kb-wt-"), "wt");
  host.git("worktree", "add", "-q", "-b", branch, wt, "HEAD");
  git(wt, "-c", "user.name=kb mine", "-c", "user.email=m@t", "commit", "-q", "--allow-empty", "-m", "mine");
  appendFileSync(join(wt, file), `${line}\n`);
  git(wt, "-c", "user.name=kb mine", "-c", "user.email=m@t", "commit", "-qam", `kb mine: ${line}`);
  host.git("worktree", "remove", "--force", wt);
  return host.git("rev-parse", branch);
}

const hubBranches = (hub: string) =>
  git(hub, "for-each-ref", "--format=%(refname:short)", "refs/heads/").split("\n").filter(Boolean);

describe("kb sync publishes review branches to the hub", () => {
  it("pushes a new review branch once, and again only when it gains commits", async () => {
    const { hub, a } = await twoHosts();
    const tip = reviewBranch(a, "kb/mine/2026-11-24-alpha", "people.md", "- Eve runs marketing.");
    const first = await a.sync();
    expect(first.data.reviewBranches).toEqual({
      published: ["kb/mine/2026-11-24-alpha"],
      merged: [],
      withdrawn: [],
      closed: [],
    });
    expect(first.text).toContain("review branches published to the hub: kb/mine/2026-11-24-alpha");
    expect(git(hub, "rev-parse", "kb/mine/2026-11-24-alpha")).toBe(tip);
    expect((await a.sync()).data.reviewBranches.published).toEqual([]);
    const wt = join(tempDir("kb-wt-"), "wt");
    a.git("worktree", "add", "-q", wt, "kb/mine/2026-11-24-alpha");
    appendFileSync(join(wt, "returns.md"), "- Store credit never expires.\n");
    git(wt, "-c", "user.name=kb mine", "-c", "user.email=m@t", "commit", "-qam", "kb mine: more");
    a.git("worktree", "remove", "--force", wt);
    expect((await a.sync()).data.reviewBranches.published).toEqual(["kb/mine/2026-11-24-alpha"]);
    expect(git(hub, "show", "kb/mine/2026-11-24-alpha:returns.md")).toContain("Store credit never expires.");
    // The main branch is untouched by the review branch.
    expect(git(hub, "show", "main:people.md")).not.toContain("Eve");

    // The pull request is closed and its branch deleted on the hub: dropped here as kb reject would.
    const closedTip = a.git("rev-parse", "kb/mine/2026-11-24-alpha");
    git(hub, "branch", "-D", "kb/mine/2026-11-24-alpha");
    const closed = await a.sync();
    expect(closed.data.reviewBranches.closed).toEqual(["kb/mine/2026-11-24-alpha"]);
    expect(closed.text).toContain(
      "deleted on the hub without merging, dropped here: kb/mine/2026-11-24-alpha",
    );
    expect(a.git("branch", "--list", "kb/*")).toBe("");
    expect(a.git("rev-parse", "refs/kb/rejected/kb/mine/2026-11-24-alpha")).toBe(closedTip);
  });

  it("deletes a review branch merged on the hub (a pull request merged on a forge), here and there", async () => {
    const { hub, a, b } = await twoHosts();
    reviewBranch(a, "kb/mine/2026-11-24-alpha", "people.md", "- Eve runs marketing.");
    await a.sync();
    // A person merges the pull request on the forge: the hub's main gains the branch.
    const forge = join(tempDir("kb-forge-"), "clone");
    git(tempDir(), "clone", "-q", hub, forge);
    git(
      forge,
      "-c",
      "user.name=p",
      "-c",
      "user.email=p@t",
      "merge",
      "-q",
      "--no-ff",
      "-m",
      "Merge PR",
      "origin/kb/mine/2026-11-24-alpha",
    );
    git(forge, "push", "-q", "origin", "main");
    const r = await a.sync();
    expect(r.data.result).toBe("ok");
    expect(r.data.reviewBranches.merged).toEqual(["kb/mine/2026-11-24-alpha"]);
    expect(a.git("branch", "--list", "kb/*")).toBe("");
    expect(hubBranches(hub)).toEqual(["main"]);
    await b.sync();
    expect(b.read("people.md")).toContain("- Eve runs marketing.");
  });

  it("withdraws a branch rejected on this host from the hub; publishing can be turned off", async () => {
    const { hub, a } = await twoHosts();
    reviewBranch(a, "kb/mine/2026-11-24-alpha", "people.md", "- Eve runs marketing.");
    await a.sync();
    await reject(a.ctx, { args: ["kb/mine/2026-11-24-alpha"], opts: {} });
    const r = await a.sync();
    expect(r.data.reviewBranches.withdrawn).toEqual(["kb/mine/2026-11-24-alpha"]);
    expect(hubBranches(hub)).toEqual(["main"]);

    const quiet = await twoHosts(undefined, { publishReviewBranches: false });
    reviewBranch(quiet.a, "kb/mine/2026-11-24-alpha", "people.md", "- Eve runs marketing.");
    expect((await quiet.a.sync()).data.reviewBranches.published).toEqual([]);
    expect(hubBranches(quiet.hub)).toEqual(["main"]);
  });
});
