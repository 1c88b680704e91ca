import picomatch from "picomatch";
import type { BrainDoc } from "../brain/types.js";
import type { Config } from "../config/load.js";
import { UsageError } from "../errors.js";

/** A set of brain files whose facts are compared with each other (an agent's folder, or any globs). */
export interface DedupScope {
  name: string;
  paths: string[];
  at?: string;
}

type DedupConfig = Pick<Config, "dedup">;

/** The whole brain, when no scopes are configured. */
export const DEFAULT_SCOPE: DedupScope = { name: "all", paths: ["**/*.md"] };

export function configuredScopes(config: DedupConfig): DedupScope[] {
  return config.dedup.scopes.length > 0 ? config.dedup.scopes : [DEFAULT_SCOPE];
}

/**
 * When each scope runs: its own `at`, else the next stagger slot (`staggerStart` plus
 * `staggerMinutes` per scope without a time, e.g. 03:45, 03:55, 04:05), so agents' scopes never
 * run at the same moment. Pure: the scheduler and `kb schedule` read it.
 */
export function scopeSchedules(config: DedupConfig): { scope: string; cron: string }[] {
  const [hours, minutes] = config.dedup.staggerStart.split(":").map(Number) as [number, number];
  let slot = 0;
  return configuredScopes(config).map((scope) => {
    if (scope.at) return { scope: scope.name, cron: scope.at.trim() };
    const at = (hours * 60 + minutes + slot++ * config.dedup.staggerMinutes) % (24 * 60);
    return { scope: scope.name, cron: `${at % 60} ${Math.floor(at / 60)} * * *` };
  });
}

/** The scopes a run covers: one by name, or all. An unknown name is a usage error listing the known ones. */
export function selectScopes(config: DedupConfig, name?: string): DedupScope[] {
  const all = configuredScopes(config);
  if (name === undefined) return all;
  const found = all.find((s) => s.name === name);
  if (!found) {
    throw new UsageError(
      "DEDUP_UNKNOWN_SCOPE",
      `no dedup scope named "${name}"; configured scopes: ${all.map((s) => s.name).join(", ")} (config dedup.scopes)`,
    );
  }
  return [found];
}

/** The documents a scope covers (brain-relative globs; a folder name alone means everything under it). */
export function docsInScope(docs: BrainDoc[], scope: DedupScope): BrainDoc[] {
  const globs = scope.paths.flatMap((p) => (/[*?[{]/.test(p) ? [p] : [p, `${p.replace(/\/$/, "")}/**`]));
  const matches = picomatch(globs, { dot: false });
  return docs.filter((d) => matches(d.path));
}
