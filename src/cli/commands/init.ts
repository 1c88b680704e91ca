import type { Context } from "../../runtime/context.js";
import { initHost } from "../../sync/init.js";
import type { CommandInput, CommandOutput } from "../types.js";

export async function run(ctx: Context, _input: CommandInput): Promise<CommandOutput> {
  const result = await initHost(ctx);
  const lines = [
    `init: ${result.action} (brain ${result.brain}, hub ${result.hub})`,
    ...result.changes.map((c) => `  ${c}`),
  ];
  return { data: result, text: lines.join("\n") };
}
