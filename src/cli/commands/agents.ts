import { listAgents } from "../../agents/list.js";
import { ExitCode } from "../../errors.js";
import type { Context } from "../../runtime/context.js";
import type { CommandInput, CommandOutput } from "../types.js";

/** Each agent kb knows, the `memory.search.extraPaths` entry it should use, and whether its config has it. */
export async function run(ctx: Context, _input: CommandInput): Promise<CommandOutput> {
  const agents = listAgents(ctx.config);
  const lines: string[] = [];
  if (agents.length === 0)
    lines.push("no agents: add mine.sources or an agents: section naming each agent's openclaw.json");
  for (const a of agents) {
    const state = a.check ? a.check.state : "not checked (no agents.<id>.openclawConfig)";
    lines.push(`${a.id}  ${state}${a.check && a.check.state !== "ok" ? `: ${a.check.message}` : ""}`);
  }
  if (agents.length > 0) {
    lines.push(
      "",
      "memory.search.extraPaths entry for each agent's openclaw.json (leaves out _archive/ and dot-folders):",
      `  ${JSON.stringify(agents[0]!.extraPath)}`,
    );
  }
  const bad = agents.some((a) => a.check && a.check.state !== "ok");
  return { data: { agents }, text: lines.join("\n"), exitCode: bad ? ExitCode.needsHuman : ExitCode.ok };
}
