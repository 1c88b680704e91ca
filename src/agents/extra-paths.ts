import { existsSync, lstatSync, readFileSync, realpathSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, isAbsolute, posix, relative, resolve, sep } from "node:path";
import JSON5 from "json5";
import { minimatch } from "minimatch";
import { ARCHIVE_DIR } from "../brain/scan.js";

/**
 * What an OpenClaw agent's memory search should index of the brain. OpenClaw's indexer walks every
 * folder under an `extraPaths` root that is not a symlink — `_archive/` and dot-folders included —
 * and has no exclude key; an object entry's `pattern` is matched (`path.posix.matchesGlob`) against
 * the path relative to `path`. So the entry names the brain's real path and a pattern that keeps
 * Markdown files at the top and in every folder not starting with `_` or `.`: current facts only.
 */
export const BRAIN_PATTERN = "{*.md,[!_.]*/**/*.md}";

export interface ExtraPathEntry {
  path: string;
  pattern: string;
}

/** The `memory.search.extraPaths` entry for a brain: its canonical absolute path and the pattern. */
export function brainEntry(brain: string): ExtraPathEntry {
  return { path: realpathSync(brain), pattern: BRAIN_PATTERN };
}

export type EntryState =
  /** An entry reads the brain, and nothing kb retired. */
  | "ok"
  /** No entry reaches the brain: the agent's memory search does not see it. */
  | "missing"
  /** An entry reaches `_archive/` or kb's dot-folders: retired facts come back in search. */
  | "reads-archive"
  /** The entry's path is a symlink (or under one): OpenClaw skips it and indexes nothing. */
  | "symlink"
  /** The entry's path is not a folder on this host. */
  | "not-a-folder"
  /** The config could not be read or parsed. */
  | "unreadable";

export interface AgentCheck {
  state: EntryState;
  /** What is wrong and what to change, for people. */
  message: string;
  /** The entries in the config that reach the brain (as written). */
  found: unknown[];
}

/**
 * Whether OpenClaw would index `rel` (a path relative to an entry's root) under `pattern`. OpenClaw
 * matches with `path.posix.matchesGlob`, experimental (and warning on stderr) in Node 20; minimatch,
 * which Node's glob derives from, agrees with it, and the contract test checks the real OpenClaw.
 */
function indexes(rel: string, pattern: string | undefined): boolean {
  if (!rel.endsWith(".md")) return false;
  return pattern ? minimatch(rel, pattern) : true;
}

/**
 * Check one agent's OpenClaw config against the brain: global `memory.search.extraPaths` and the
 * agent's own `agents.entries.<id>.memory.search.extraPaths` (OpenClaw combines both). Reads only.
 */
export function checkOpenclawConfig(file: string, agentId: string, brain: string): AgentCheck {
  let config: Record<string, unknown>;
  try {
    config = JSON5.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch (error) {
    return { state: "unreadable", message: `${file}: ${(error as Error).message}`, found: [] };
  }
  const brainReal = realpathSync(brain);
  const probes = {
    live: "finance/example.md",
    archive: `${ARCHIVE_DIR}/finance/example.md`,
    hidden: ".kb/example.md",
  };
  const workspace = resolveHome(
    stringAt(config, ["agents", "entries", agentId, "workspace"]) ??
      stringAt(config, ["agents", "defaults", "workspace"]) ??
      resolve(dirname(file), "workspace"),
  );
  const entries = [
    ...arrayAt(config, ["memory", "search", "extraPaths"]),
    ...arrayAt(config, ["agents", "entries", agentId, "memory", "search", "extraPaths"]),
  ];
  const found: unknown[] = [];
  let live = false;
  const problems: { state: EntryState; message: string }[] = [];
  for (const entry of entries) {
    const raw = typeof entry === "string" ? entry : stringAt(entry, ["path"]);
    if (!raw) continue;
    const pattern = typeof entry === "string" ? undefined : stringAt(entry, ["pattern"]);
    const abs = resolve(workspace, resolveHome(raw));
    const real = existsSync(abs) ? realpathSync(abs) : abs;
    // The entry's root relative to the brain, and a brain path relative to the root.
    const fromBrain = relative(brainReal, real);
    const inside = fromBrain === "" || (!fromBrain.startsWith("..") && !isAbsolute(fromBrain));
    const above = relative(real, brainReal);
    const contains = above === "" || (!above.startsWith("..") && !isAbsolute(above));
    if (!inside && !contains) continue;
    found.push(entry);
    if (!existsSync(abs) || !lstatSync(abs).isDirectory()) {
      const symlinked = existsSync(abs) && lstatSync(abs).isSymbolicLink();
      problems.push(
        symlinked
          ? {
              state: "symlink",
              message: `${raw} is a symlink; OpenClaw skips symlinked roots and indexes nothing there: use ${brainReal}`,
            }
          : { state: "not-a-folder", message: `${raw} is not a folder on this host` },
      );
      continue;
    }
    if (abs !== real) {
      problems.push({
        state: "symlink",
        message: `${raw} goes through a symlink; OpenClaw skips symlinked roots: use the real path ${brainReal}`,
      });
      continue;
    }
    const toRoot = (p: string) => posix.join(...relative(real, resolve(brainReal, p)).split(sep));
    const under = (p: string) => !relative(real, resolve(brainReal, p)).startsWith("..");
    if (
      (under(probes.archive) && indexes(toRoot(probes.archive), pattern)) ||
      (under(probes.hidden) && indexes(toRoot(probes.hidden), pattern))
    ) {
      problems.push({
        state: "reads-archive",
        message: `${JSON.stringify(entry)} indexes ${ARCHIVE_DIR}/ (retired facts) and dot-folders: use ${JSON.stringify(brainEntry(brain))}`,
      });
      continue;
    }
    if (under(probes.live) && indexes(toRoot(probes.live), pattern)) live = true;
  }
  const worst = problems.find((p) => p.state === "reads-archive") ?? problems[0];
  if (worst) return { ...worst, found };
  if (!live)
    return {
      state: "missing",
      message: `no memory.search.extraPaths entry reads the brain: add ${JSON.stringify(brainEntry(brain))}`,
      found,
    };
  return { state: "ok", message: "memory search reads the brain's current facts only", found };
}

function resolveHome(p: string): string {
  return p === "~" || p.startsWith("~/") ? `${homedir()}${p.slice(1)}` : p;
}

function at(value: unknown, path: string[]): unknown {
  let v = value;
  for (const key of path) {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

function stringAt(value: unknown, path: string[]): string | undefined {
  const v = at(value, path);
  return typeof v === "string" ? v : undefined;
}

function arrayAt(value: unknown, path: string[]): unknown[] {
  const v = at(value, path);
  return Array.isArray(v) ? v : [];
}
