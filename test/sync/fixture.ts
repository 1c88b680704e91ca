import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { run as runInit } from "../../src/cli/commands/init.js";
import { run as runSync } from "../../src/cli/commands/sync.js";
import type { SyncResult } from "../../src/sync/run.js";
import { makeContext, type TestContext, tempDir } from "../helpers/index.js";

/** A host: its own config, state and brain clone, syncing with `hub`. */
export interface Host {
  name: string;
  ctx: TestContext;
  brain: string;
  write(path: string, text: string): void;
  read(path: string): string;
  remove(path: string): void;
  git(...args: string[]): string;
  sync(): Promise<{ data: SyncResult; exitCode: number; text: string }>;
}

export const SAMPLE = {
  "returns.md":
    "---\ntitle: Returns\nowner: cs\ntags: [returns]\nupdated: 2026-10-01\n---\n# Returns\n\n- Returns accepted within 30 days.\n- Refunds go to the original payment method.\n- Gift cards are not refundable.\n",
  "shipping/eu.md": "# EU shipping\n\n- Free EU shipping above €60.\n- Orders ship from Rotterdam.\n",
  "people.md": "# People\n\n- Ada is the CEO.\n",
};

export function git(dir: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "core.quotepath=off", ...args], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, GIT_TERMINAL_PROMPT: "0" },
  }).trim();
}

/** A host whose config points at `hub`; `seed` files go in its brain before `kb init`. */
export function makeHost(
  name: string,
  hub: string,
  seed: Record<string, string> = {},
  sync: Record<string, unknown> = {},
): Host {
  const root = tempDir(`kb-${name}-`);
  const ctx = makeContext({
    root,
    brain: seed,
    config: { host: name, sync: { hub, massDeleteMinFiles: 3, ...sync } },
  });
  const brain = join(root, "brain");
  return {
    name,
    ctx,
    brain,
    write: (path, text) => {
      mkdirSync(dirname(join(brain, path)), { recursive: true });
      writeFileSync(join(brain, path), text);
    },
    read: (path) => readFileSync(join(brain, path), "utf8"),
    remove: (path) => rmSync(join(brain, path), { force: true }),
    git: (...args) => git(brain, ...args),
    sync: async () => {
      const out = await runSync(ctx, { args: [], opts: {} });
      return { data: out.data as SyncResult, exitCode: out.exitCode ?? 0, text: out.text };
    },
  };
}

/** A bare hub plus two hosts: A publishes `seed`, B clones it. */
export async function twoHosts(seed: Record<string, string> = SAMPLE, sync: Record<string, unknown> = {}) {
  const hub = join(tempDir("kb-hub-"), "hub.git");
  const a = makeHost("alpha", hub, seed, sync);
  const b = makeHost("beta", hub, {}, sync);
  rmSync(b.brain, { recursive: true, force: true });
  await runInit(a.ctx, { args: [], opts: {} });
  await runInit(b.ctx, { args: [], opts: {} });
  return { hub, a, b };
}

/** Every file of a brain (not .git), path → text, for byte-for-byte comparison. */
export function snapshot(host: Host): Record<string, string> {
  const files = host.git("ls-files").split("\n").filter(Boolean).sort();
  return Object.fromEntries(files.map((f) => [f, host.read(f)]));
}
