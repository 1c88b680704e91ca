import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { writeAtomic } from "../runtime/atomic.js";
import type { Repo } from "./repo.js";

/** The lines kb needs in the brain's `.gitattributes`: every file through kb's driver, markdown LF. */
export const ATTRIBUTE_LINES = ["* merge=kb", "*.md merge=kb text eol=lf"];

/** The command git runs for the kb merge driver: absolute node and bin, so cron needs no PATH. */
export function driverCommand(): string {
  return `"${process.execPath}" "${kbBinPath()}" merge-driver %O %A %B %P`;
}

/** kb's `bin/kb.js`, found by walking up from this module (works from dist/ and from src/). */
export function kbBinPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, "bin", "kb.js");
    if (existsSync(candidate) && existsSync(join(dir, "package.json"))) return candidate;
    dir = resolve(dir, "..");
  }
  throw new Error("cannot find kb's bin/kb.js next to its package.json");
}

export interface SetupState {
  driver: string | null;
  driverOk: boolean;
  attributesOk: boolean;
  checkAttrOk: boolean;
}

/** What the brain clone has registered: the driver command, its files, and the attributes. */
export async function readSetup(repo: Repo): Promise<SetupState> {
  const driver =
    (await repo.run(["config", "--get", "merge.kb.driver"], { allowFailure: true })).stdout.trim() || null;
  const paths = driver ? [...driver.matchAll(/"([^"]+)"/g)].map((m) => m[1]!) : [];
  const driverOk = driver !== null && paths.length >= 2 && paths.every((p) => existsSync(p));
  const attrs = join(repo.dir, ".gitattributes");
  const lines = existsSync(attrs)
    ? readFileSync(attrs, "utf8")
        .split(/\r?\n/)
        .map((l) => l.trim())
    : [];
  const attributesOk = ATTRIBUTE_LINES.every((l) => lines.includes(l));
  const check = await repo.run(["check-attr", "merge", "--", "probe.md"], { allowFailure: true });
  return { driver, driverOk, attributesOk, checkAttrOk: /: merge: kb$/.test(check.stdout.trim()) };
}

/** Register the merge driver and the platform settings in `.git/config` (idempotent). */
export async function registerDriver(repo: Repo, platform = process.platform): Promise<void> {
  const settings: [string, string][] = [
    ["merge.kb.name", "kb fact-aware merge"],
    ["merge.kb.driver", driverCommand()],
    ["merge.kb.recursive", "kb"],
    ["core.autocrlf", "false"],
  ];
  if (platform === "darwin") settings.push(["core.precomposeunicode", "true"]);
  for (const [key, value] of settings) await repo.run(["config", key, value]);
  ensureExcludes(repo);
}

/** Add kb's lines to `.gitattributes` when missing; returns whether the file changed. */
export async function ensureAttributes(repo: Repo): Promise<boolean> {
  const path = join(repo.dir, ".gitattributes");
  const text = existsSync(path) ? readFileSync(path, "utf8") : "";
  const have = text.split(/\r?\n/).map((l) => l.trim());
  const missing = ATTRIBUTE_LINES.filter((l) => !have.includes(l));
  if (missing.length === 0) return false;
  const lead = text === "" || text.endsWith("\n") ? "" : "\n";
  await writeAtomic(path, `${text}${lead}${missing.join("\n")}\n`);
  return true;
}

/** Git's temporary files for a merge driver (%O %A %B); a killed merge leaves them in the worktree. */
export const MERGE_TEMP_PATTERN = ".merge_file_*";

/** Keep git's merge temp files out of `git add -A` through `.git/info/exclude` (never synced). */
export function ensureExcludes(repo: Repo): void {
  const path = join(repo.gitDir, "info", "exclude");
  const text = existsSync(path) ? readFileSync(path, "utf8") : "";
  if (text.split(/\r?\n/).includes(`/${MERGE_TEMP_PATTERN}`)) return;
  mkdirSync(dirname(path), { recursive: true });
  appendFileSync(path, `${text === "" || text.endsWith("\n") ? "" : "\n"}/${MERGE_TEMP_PATTERN}\n`);
}
