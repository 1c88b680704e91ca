import type { Config } from "../config/load.js";

/**
 * Why a job cannot run on this host with this config, or null when it can. A skipped step says
 * exactly what to set, so an operator reading a cron mail knows the next move.
 */
export function skipReason(
  job: string,
  config: Pick<Config, "schedule" | "sync" | "mine" | "llm" | "dedup">,
): string | null {
  if ((config.schedule.off as string[]).includes(job)) return "turned off on this host (schedule.off)";
  switch (job) {
    case "sync":
      return config.sync.hub
        ? null
        : "no hub configured (set sync.hub to the hub repository's path or ssh:// URL)";
    case "mine":
      if (config.mine.sources.length === 0) return "no log sources configured (set mine.sources)";
      if (!config.llm.baseUrl || config.llm.models.length === 0) {
        return "no LLM configured (set llm.baseUrl, llm.models and llm.apiKeyEnv — any OpenAI-compatible endpoint)";
      }
      return null;
    case "dedup":
      return config.dedup.scopes.length > 0 ? null : "no dedup scopes configured (set dedup.scopes)";
    default:
      return null;
  }
}
