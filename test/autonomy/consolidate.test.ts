import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { kbInProcess, makeTree } from "../helpers/index.js";

const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", ["-c", "user.name=Maja", "-c", "user.email=maja@example.com", ...args], {
    cwd,
    encoding: "utf8",
  }).trim();

const doc = (title: string, ...facts: string[]) =>
  `---\nowner: "@maja.hr"\n---\n\n# ${title}\n\n## Facts\n\n${facts.map((f) => `- ${f}\n`).join("")}`;

describe("kb consolidate under a demotion", () => {
  it("a person's revert of a consolidated change puts the folder back in review for the next run, --mode apply included", async () => {
    const root = makeTree({
      "kb.config.yaml":
        "host: test\nbrain: ./brain\nstate: ./state\nreports: ./reports\nmine: { mode: apply }\n",
      "brain/hr/onboarding.md": doc("Onboarding", "Staff get 30% off full-price items."),
      "brain/hr/benefits.md": doc("Benefits", "Staff get 30% off full-price items."),
    });
    const brain = join(root, "brain");
    git(brain, "init", "-q", "--initial-branch=main");
    git(brain, "add", "-A");
    git(brain, "commit", "-qm", "the brain");
    writeFileSync(join(brain, "hr/benefits.md"), doc("Benefits", "Staff get 40% off full-price items."));
    git(brain, "commit", "-qam", "Staff discount is now 40%");
    const kb = async (...args: string[]) => {
      const out = await kbInProcess(["--config", join(root, "kb.config.yaml"), "--json", ...args], root);
      return JSON.parse(out.stdout);
    };

    const first = await kb("consolidate");
    expect([first.branch, first.applied.map((a: { mode: string }) => a.mode)]).toEqual([null, ["apply"]]);
    git(brain, "revert", "--no-edit", "HEAD");
    const again = await kb("consolidate", "--mode", "apply");
    expect(again.branch).toMatch(/^kb\/consolidate\/\d{4}-\d\d-\d\d-test$/);
    expect(again.applied.map((a: { mode: string }) => a.mode)).toEqual(["review"]);
    const autonomy = await kb("autonomy");
    expect(
      autonomy.folders.map((f: { folder: string; mode: string; reverted: number; pending: number }) => [
        f.folder,
        f.mode,
        f.reverted,
        f.pending,
      ]),
    ).toEqual([["hr", "review", 1, 1]]);
  });
});
