import { basename, dirname, join, resolve } from "node:path";
import { type Config, loadConfig } from "../../config/load.js";
import { listTokens } from "../../mcp/tokens.js";
import { bundledConfigPath, currentHost, exampleHost } from "../../ops/schedule/host.js";
import { parseFormat, renderSchedule, scheduleText } from "../../ops/schedule/index.js";
import { configKeyLocator } from "../../ops/schedule/locate.js";
import { planSchedule, skippedLines } from "../../ops/schedule/plan.js";
import { writeAtomic } from "../../runtime/atomic.js";
import type { Context } from "../../runtime/context.js";
import type { CommandInput, CommandOutput } from "../types.js";

/**
 * `kb schedule`: the entries this host installs (cron, systemd or launchd), from the job registry
 * and this host's config. `--example` renders the packaged config with placeholder paths — the
 * committed crontab.example. `--out DIR` writes the files into DIR instead of printing them.
 */
export async function run(ctx: Context, { opts }: CommandInput): Promise<CommandOutput> {
  const format = parseFormat(opts.format);
  const example = opts.example === true;
  const config = example ? bundledConfig() : ctx.config;
  const host = example ? exampleHost(config, format === "launchd") : currentHost(config, process.env);
  const plan = planSchedule(config, example ? undefined : configKeyLocator(config.location.path));
  // Once a token exists, the team's MCP server gets its service unit beside the timers.
  const mcp = !example && listTokens(ctx.db()).some((t) => t.revokedAt === null);
  const rendered = renderSchedule(format, plan, host, { mcp });
  if (typeof opts.out !== "string") return { data: rendered, text: scheduleText(rendered) };

  const dir = resolve(opts.out);
  const written: string[] = [];
  for (const file of rendered.files) {
    const path = join(dir, basename(file.path));
    await writeAtomic(path, file.content);
    written.push(path);
  }
  const text = [
    `wrote ${written.length} file${written.length === 1 ? "" : "s"} to ${dir}; install:`,
    ...rendered.install.map((line) => `  ${line}`),
    ...skippedLines(rendered.skipped),
  ].join("\n");
  return { data: { ...rendered, written }, text };
}

/** The packaged kb.config.yaml, read without this process's environment (no KB_CONFIG, no env file). */
function bundledConfig(): Config {
  const path = bundledConfigPath();
  return loadConfig({ configPath: path, env: {}, cwd: dirname(path) });
}
