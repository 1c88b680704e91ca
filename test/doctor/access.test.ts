import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { git } from "../../src/runtime/git.js";
import { kbBin, makeTree, skipping, tempDir } from "../helpers/index.js";

const USER = "kbdoctor";

/** Why this host cannot run kb as a second account, or null when it can. */
function cannotSwitchUser(): string | null {
  if (process.getuid?.() !== 0) return "needs root to create a second account and run kb as it";
  for (const tool of ["useradd", "runuser"])
    if (spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0) return `needs ${tool} on PATH`;
  if (spawnSync("id", ["-u", USER]).status !== 0) {
    const made = spawnSync("useradd", ["--no-create-home", "--shell", "/usr/sbin/nologin", USER]);
    if (made.status !== 0 && spawnSync("id", ["-u", USER]).status !== 0)
      return `useradd ${USER} failed: ${made.stderr.toString().trim()}`;
  }
  // A checkout (or a node) in a folder only root can enter, e.g. a clone under a 0700 temp folder
  // (as CI makes): let others pass through those folders (o+x, not list them) for this file's tests.
  if (!reaches()) openAncestors([kbBin, process.execPath]);
  if (!reaches())
    return `${USER} cannot run this checkout's kb (${kbBin} or ${process.execPath} is in a folder it cannot enter)`;
  return null;
}

function reaches(): boolean {
  const script = `require("fs").accessSync(${JSON.stringify(kbBin)})`;
  return spawnSync("runuser", ["-u", USER, "--", process.execPath, "-e", script]).status === 0;
}

/** Folders whose mode was widened to let others pass through, with the mode to put back. */
const opened: { dir: string; mode: number }[] = [];

function openAncestors(paths: string[]): void {
  for (const path of paths)
    for (let dir = dirname(path); dir !== dirname(dir); dir = dirname(dir)) {
      const mode = statSync(dir).mode & 0o7777;
      if ((mode & 0o001) !== 0 || opened.some((o) => o.dir === dir)) continue;
      chmodSync(dir, mode | 0o001);
      opened.push({ dir, mode });
    }
}

const skip = cannotSwitchUser();
afterAll(() => {
  for (const { dir, mode } of opened.reverse()) chmodSync(dir, mode);
});

/** `kb doctor` as the account the jobs run as, with its own HOME (root's is not readable to it). */
function doctorAs(user: string, config: string, home: string) {
  const r = spawnSync(
    "runuser",
    [
      "-u",
      user,
      "--",
      "env",
      `HOME=${home}`,
      "NO_COLOR=1",
      process.execPath,
      kbBin,
      "doctor",
      "--config",
      config,
    ],
    { encoding: "utf8" },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.skipIf(skipping("kb doctor as another account", skip))(
  `kb doctor checks access as the account running it${skip ? ` (skipped: ${skip})` : ""}`,
  () => {
    it("names every folder kb cannot write and git's ownership refusal, with chown as the fix; all ok once chowned", async () => {
      const root = makeTree({
        "kb.config.yaml": "host: t\nbrain: ./brain\nstate: ./state\nreports: ./reports\n",
        "brain/finance/payments.md": "# Payments\n\n- Adyen pays out daily.\n",
      });
      mkdirSync(join(root, "state"));
      chmodSync(root, 0o755); // mkdtemp makes it 0700: the other account must at least read the config
      await git(["init", "-q", "-b", "main", join(root, "brain")]);
      const home = tempDir("kb-home-");
      chownSync(home, uid(USER), uid(USER));
      const config = join(root, "kb.config.yaml");

      const before = doctorAs(USER, config, home);
      expect(before.code, before.stdout + before.stderr).toBe(1);
      const lines = before.stdout.replaceAll(root, "<root>").split("\n");
      const about = (id: string) =>
        lines.filter((l, i) => l.includes(` ${id}:`) || lines[i - 1]?.includes(` ${id}:`));
      expect(about("brain-write")).toMatchInlineSnapshot(`
        [
          "ERROR brain-write: kbdoctor cannot write <root>/brain (owned by root) and 11 more folders under it; kb running as kbdoctor would fail there with EACCES",
          "      → sudo chown -R kbdoctor <root>/brain, or run kb as root (never chmod 777)",
        ]
      `);
      expect(about("state-write")).toMatchInlineSnapshot(`
        [
          "ERROR state-write: kbdoctor cannot write <root>/state (owned by root); kb running as kbdoctor would fail there with EACCES",
          "      → sudo chown -R kbdoctor <root>/state, or run kb as root (never chmod 777)",
        ]
      `);
      expect(about("reports-write")).toMatchInlineSnapshot(`
        [
          "ERROR reports-write: kbdoctor cannot create <root>/reports: <root> (owned by root) is not writable to kbdoctor",
          "      → sudo install -d -o kbdoctor <root>/reports (never chmod 777)",
        ]
      `);
      expect(about("brain-git-owner")).toMatchInlineSnapshot(`
        [
          "ERROR brain-git-owner: git refuses <root>/brain for kbdoctor: the repository is owned by root ("detected dubious ownership")",
          "      → sudo chown -R kbdoctor <root>/brain; only if another account must own it: git config --global --add safe.directory <root>/brain (never chmod 777)",
        ]
      `);
      expect(before.stdout).not.toMatch(/→ (sudo )?chmod/m);

      const verify = spawnSync(
        "runuser",
        [
          "-u",
          USER,
          "--",
          "env",
          `HOME=${home}`,
          process.execPath,
          kbBin,
          "--config",
          config,
          "verify",
          "finance/payments.md",
        ],
        { encoding: "utf8" },
      );
      expect(verify.status).toBe(1);
      expect(verify.stderr.replaceAll(root, "<root>")).toMatchInlineSnapshot(`
        "kb verify: permission denied (EACCES) on <root>/brain/finance/payments.md for kbdoctor; run kb doctor as this account to see every folder kb cannot write and the chown that fixes it (never chmod 777)
        "
      `);

      spawnSync("chown", ["-R", `${USER}:`, root]);
      const after = doctorAs(USER, config, home);
      expect(after.stdout).toMatch(/^ok {4}brain-write: kbdoctor can write /m);
      expect(after.stdout).toMatch(/^ok {4}brain-git-owner: /m);
      expect(after.stdout).not.toMatch(/^ERROR/m);
      expect(after.code, after.stdout).toBe(0);
    });
  },
);

function uid(user: string): number {
  return Number(spawnSync("id", ["-u", user], { encoding: "utf8" }).stdout.trim());
}
