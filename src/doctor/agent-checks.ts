import { listAgents } from "../agents/list.js";
import type { CheckGroup, CheckResult } from "./types.js";

/** Each agent's OpenClaw config reads the brain's current facts: the entry is there, real, and skips `_archive/`. */
export const agentChecks: CheckGroup = async ({ ctx }) => {
  if (!ctx) return [];
  const out: CheckResult[] = [];
  for (const agent of listAgents(ctx.config)) {
    if (!agent.check) continue;
    const ok = agent.check.state === "ok";
    out.push({
      id: `agent:${agent.id}`,
      status: ok ? "ok" : agent.check.state === "unreadable" ? "error" : "warn",
      message: `${agent.openclawConfig}: ${agent.check.message}`,
      ...(ok
        ? {}
        : {
            hint: `set memory.search.extraPaths in ${agent.openclawConfig} to include ${JSON.stringify(agent.extraPath)}, then run openclaw memory index --force (kb never edits another program's config)`,
          }),
    });
  }
  return out;
};
