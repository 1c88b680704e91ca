import { existsSync, readFileSync } from "node:fs";
import type { Config } from "../config/load.js";
import { ConfigError } from "../errors.js";
import type { Logger } from "../runtime/log.js";
import { LlmRun, type LlmRunOptions } from "./client.js";

/** Who asks for a key: a mine source (its own `apiKeyEnv` wins), or kb itself for eval and dedup. */
export interface KeyUser {
  agent: string;
  apiKeyEnv?: string;
}

/** Fail with exactly what to set when no LLM endpoint is configured. */
export function assertLlmConfigured(config: Config): void {
  const missing: string[] = [];
  if (!config.llm.baseUrl)
    missing.push("llm.baseUrl (an OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1)");
  if (config.llm.models.length === 0)
    missing.push("llm.models (the model chain, cheapest first, e.g. [small-model, large-model])");
  if (missing.length === 0) return;
  const where = config.location.path ?? "kb.config.yaml";
  throw new ConfigError(
    "MINE_NO_LLM",
    `kb mine needs an LLM. Set in ${where}:\n  ${missing.join("\n  ")}\nand the API key variable: llm.apiKeyEnv (or mine.sources[].apiKeyEnv per agent). ` +
      "`kb mine --dry-run` shows the plan without one.",
  );
}

/** The API key for one source: its own variable, else `llm.apiKeyEnv`, else `llm.apiKeyFile`. */
export function apiKeyFor(config: Config, source: KeyUser, env: NodeJS.ProcessEnv = process.env): string {
  return resolveKey(config, source, env);
}

/** The default key (`llm.apiKeyEnv`, else `llm.apiKeyFile`), for LLM use outside mining (the dedup judge). */
export function defaultApiKey(config: Config, env: NodeJS.ProcessEnv = process.env): string {
  return resolveKey(config, { agent: "", apiKeyEnv: undefined }, env);
}

function resolveKey(config: Config, source: KeyUser, env: NodeJS.ProcessEnv): string {
  const name = source.apiKeyEnv ?? config.llm.apiKeyEnv;
  if (name) {
    const value = env[name]?.trim();
    if (!value) {
      const key = source.apiKeyEnv ? `mine.sources (agent ${source.agent}).apiKeyEnv` : "llm.apiKeyEnv";
      throw new ConfigError(
        "MINE_API_KEY_UNSET",
        `environment variable ${name} (named by ${key}) is not set or empty`,
      );
    }
    return value;
  }
  const file = config.llm.apiKeyFile;
  if (file) {
    if (!existsSync(file))
      throw new ConfigError("MINE_API_KEY_FILE", `llm.apiKeyFile ${file} does not exist`);
    return readFileSync(file, "utf8").split(/\r?\n/)[0]!.trim();
  }
  return "no-key"; // local endpoints (llama.cpp, Ollama) accept any key
}

export function createLlmRun(config: Config, log: Logger, extra: Partial<LlmRunOptions> = {}): LlmRun {
  return new LlmRun({
    baseUrl: config.llm.baseUrl,
    models: config.llm.models,
    timeoutMs: config.llm.timeoutSeconds * 1000,
    maxRetries: config.llm.maxRetries,
    prices: config.llm.prices,
    budget: config.mine.budget,
    log,
    ...extra,
  });
}
