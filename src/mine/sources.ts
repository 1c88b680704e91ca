import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import picomatch from "picomatch";
import { type ConfigProblem, formatProblem, lineOfValue } from "../config/issues.js";
import type { Config } from "../config/load.js";
import { sourceKinds } from "../config/sections/mine.js";
import { ConfigError, UsageError } from "../errors.js";
import type { MineSource, SourceKind } from "./types.js";

/**
 * The sources a run mines: all of them, or one agent's. A config with no sources, or a source
 * whose path does not exist, is a configuration error: a typo would otherwise look healthy forever.
 */
export function selectSources(config: Config, agent?: string): MineSource[] {
  const all = config.mine.sources as MineSource[];
  if (all.length === 0) {
    throw new ConfigError(
      "MINE_NO_SOURCES",
      `kb mine has no log sources: add mine.sources: [{agent, kind, path}] (kinds: ${sourceKinds.join(", ")})`,
    );
  }
  const picked = agent ? all.filter((s) => s.agent === agent) : all;
  if (picked.length === 0) {
    const agents = [...new Set(all.map((s) => s.agent))].join(", ");
    throw new UsageError(
      "MINE_UNKNOWN_AGENT",
      `no source for agent "${agent}"; configured agents: ${agents}`,
    );
  }
  const missing = missingSourcePaths(config).filter((p) => picked.some((s) => s.path === p.source.path));
  if (missing.length > 0) {
    throw new ConfigError(
      "MINE_SOURCE_MISSING",
      `${missing.length === 1 ? "a log source names a path that does" : `${missing.length} log sources name paths that do`} not exist:\n${missing.map((m) => `  ${formatProblem(m.problem)}`).join("\n")}`,
    );
  }
  return picked;
}

/** Sources whose path (for a glob: the folder it starts from) does not exist, each located in the config. */
export function missingSourcePaths(config: Config): { source: MineSource; problem: ConfigProblem }[] {
  const sources = config.mine.sources as MineSource[];
  const file = config.location.path;
  let text: string | null = null;
  const out: { source: MineSource; problem: ConfigProblem }[] = [];
  for (const [i, source] of sources.entries()) {
    const scan = picomatch.scan(source.path);
    const root = scan.isGlob ? scan.base || sep : source.path;
    if (existsSync(root)) continue;
    text ??= file && existsSync(file) ? readFileSync(file, "utf8") : "";
    out.push({
      source,
      problem: {
        file: file ?? "(no config file)",
        line: text ? lineOfValue(text, ["mine", "sources", String(i), "path"]) : null,
        key: `mine.sources.${i}.path`,
        message: `(agent ${source.agent}, kind ${source.kind}) names ${root}, which does not exist; expected a file, a folder or a glob of the agent's logs (relative paths resolve against ${config.baseDir})${storeHint(source, root)}`,
      },
    });
  }
  return out;
}

/** OpenClaw ≥ 2026.7 keeps transcripts in the agent store beside where `sessions/` used to be. */
function storeHint(source: MineSource, root: string): string {
  if (source.kind !== "openclaw-jsonl") return "";
  const store = join(dirname(root), "agent", "openclaw-agent.sqlite");
  return existsSync(store)
    ? `; this OpenClaw keeps its transcripts in ${store}: use kind "openclaw" with path ${dirname(root)}`
    : "";
}

/** An OpenClaw transcript file: live JSONL, or a zstd archive of one (deleted, reset or cold). */
const isOpenclawJsonl = (n: string) =>
  (n.endsWith(".jsonl") && !n.endsWith(".trajectory.jsonl")) ||
  /\.jsonl(?:\.(?:deleted|reset)\.[^/]+)?\.zst$/.test(n);

/**
 * An OpenClaw agent store, not one of the side files OpenClaw keeps beside it
 * (`openclaw-agent.sqlite.reindex-lock.sqlite`, `….generation-writer.sqlite`, `-wal`, `-shm`,
 * `….memory-reindex-*`): the name has `.sqlite` once, at its end.
 */
const isStore = (n: string) => n.endsWith(".sqlite") && n.indexOf(".sqlite") === n.length - ".sqlite".length;

/** Which files in a folder belong to a source kind. */
const filePattern: Record<SourceKind, (name: string) => boolean> = {
  openclaw: (n) => n === STORE_NAME || isOpenclawJsonl(n),
  "openclaw-jsonl": isOpenclawJsonl,
  "claude-code": (n) => n.endsWith(".jsonl"),
  "openclaw-sqlite": isStore,
  "openclaw-memory": (n) => /^\d{4}-\d{2}-\d{2}.*\.md$/.test(n),
  markdown: (n) => /\.(md|markdown|txt|log)$/.test(n),
};

/** The store file in an OpenClaw ≥ 2026.7 agent folder: `agents/<id>/agent/openclaw-agent.sqlite`. */
export const STORE_NAME = "openclaw-agent.sqlite";

/**
 * The files a source's `path` names: a file, a folder (searched recursively for the kind's files),
 * or a glob. Relative paths resolve against `baseDir` (the config file's folder). Sorted, so runs
 * read files in a stable order.
 */
export function resolveSourceFiles(kind: SourceKind, path: string, baseDir: string): string[] {
  const abs = isAbsolute(path) ? path : resolve(baseDir, path);
  if (picomatch.scan(abs).isGlob) {
    const { base } = picomatch.scan(abs);
    const match = picomatch(abs, { dot: false });
    return walk(base || sep).filter((f) => match(f) && filePattern[kind](basename(f)) !== false);
  }
  if (!existsSync(abs)) return [];
  const st = statSync(abs);
  if (st.isFile()) return [abs];
  if (!st.isDirectory()) return [];
  return walk(abs).filter((f) => filePattern[kind](basename(f)));
}

function walk(root: string): string[] {
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const visit = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name.startsWith(".")) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) visit(p);
      else if (e.isFile()) out.push(p);
    }
  };
  visit(root);
  return out.sort();
}

/** A short, stable label for reports: the path relative to the config folder when inside it. */
export function displayPath(file: string, baseDir: string): string {
  const rel = relative(baseDir, file);
  return rel.startsWith("..") ? file : rel.split(sep).join("/");
}
