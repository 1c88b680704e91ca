import { isAbsolute, resolve } from "node:path";
import type { Config } from "../config/load.js";
import { type AgentCheck, brainEntry, checkOpenclawConfig, type ExtraPathEntry } from "./extra-paths.js";

export interface AgentView {
  id: string;
  /** Where kb learned of the agent: its log sources, the `agents:` section, or both. */
  from: ("sources" | "agents")[];
  /** The `memory.search.extraPaths` entry this agent's OpenClaw should have for the brain. */
  extraPath: ExtraPathEntry;
  openclawConfig: string | null;
  /** The config's check, when kb knows where it is. */
  check: AgentCheck | null;
}

/** Every agent kb knows (log sources and the `agents:` section), each with its entry and its config's state. */
export function listAgents(cfg: Config): AgentView[] {
  const ids = new Map<string, Set<"sources" | "agents">>();
  const note = (id: string, from: "sources" | "agents") => ids.set(id, (ids.get(id) ?? new Set()).add(from));
  for (const s of cfg.mine.sources) note(s.agent, "sources");
  for (const id of Object.keys(cfg.agents)) note(id, "agents");
  const extraPath = brainEntry(cfg.brain);
  return [...ids]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, from]) => {
      const file = cfg.agents[id]?.openclawConfig;
      const path = file ? (isAbsolute(file) ? file : resolve(cfg.baseDir, file)) : null;
      return {
        id,
        from: [...from].sort(),
        extraPath,
        openclawConfig: path,
        check: path ? checkOpenclawConfig(path, id, cfg.brain) : null,
      };
    });
}
