import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";

export type ConfigSource = "flag" | "env" | "cwd" | "demo" | "none";

export interface ConfigLocation {
  path: string | null;
  source: ConfigSource;
  /** Why this file was chosen, for `kb doctor`. */
  why: string;
}

/**
 * Where the config comes from: `--config`, then `KB_CONFIG`, then `./kb.config.yaml`.
 * Never through HOME: cron and `sudo -u` runs have a different HOME than the person who edited it.
 */
export function locateConfig(flag: string | undefined, env: NodeJS.ProcessEnv, cwd: string): ConfigLocation {
  if (flag) return { path: resolve(cwd, flag), source: "flag", why: "--config was given" };
  if (env.KB_CONFIG) {
    return { path: resolve(cwd, env.KB_CONFIG), source: "env", why: "KB_CONFIG is set (no --config)" };
  }
  const local = resolve(cwd, "kb.config.yaml");
  if (existsSync(local)) {
    return { path: local, source: "cwd", why: "./kb.config.yaml exists (no --config, no KB_CONFIG)" };
  }
  return {
    path: null,
    source: "none",
    why: `no --config, no KB_CONFIG, and no kb.config.yaml in ${cwd}; built-in defaults apply`,
  };
}

/** Where `npm start` keeps its working copy of the bundled sample, next to the sample's config. */
export const DEMO_CONFIG = ".kb/demo/kb.config.yaml";

/**
 * The demo `npm start` made, when `./kb.config.yaml` is the bundled sample's (`sample: true`) and
 * the demo exists: a bare `kb` in the checkout then works on the demo, never on the sample.
 */
export function demoLocation(sample: ConfigLocation): ConfigLocation | null {
  if (sample.source !== "cwd" || !sample.path) return null;
  const demo = resolve(dirname(sample.path), DEMO_CONFIG);
  if (!existsSync(demo)) return null;
  return {
    path: demo,
    source: "demo",
    why: `./kb.config.yaml is the bundled sample (sample: true) and npm start made its demo; using ${DEMO_CONFIG} (pass --config kb.config.yaml for the sample itself)`,
  };
}
