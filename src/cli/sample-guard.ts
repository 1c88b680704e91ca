import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Config } from "../config/load.js";
import { DEMO_CONFIG } from "../config/locate.js";
import { ConfigError } from "../errors.js";

/**
 * Refuse a command that would change the bundled sample brain (a config with `sample: true`),
 * saying where the writable demo copy is or how to make it. Dry runs change nothing and pass.
 */
export function refuseSampleBrain(config: Config, command: string): void {
  if (!config.sample) return;
  const where = config.location.path ?? "kb.config.yaml";
  const demo = join(dirname(where), DEMO_CONFIG);
  const next = existsSync(demo)
    ? `The demo copy npm start made is ${demo}: run kb in ${dirname(where)} without --config (or with --config ${demo}).`
    : "Run npm start once: it copies the sample to .kb/demo/, and kb then acts on that copy when run in this folder.";
  throw new ConfigError(
    "SAMPLE_READ_ONLY",
    `kb ${command} would change the bundled sample brain ${config.brain}, which stays as committed (${where} says sample: true).\n` +
      `${next}\nFor your own brain, pass --config FILE or set KB_CONFIG; --dry-run works on the sample.`,
  );
}
