import { runDoctor } from "../../doctor/index.js";
import { ExitCode } from "../../errors.js";
import type { ContextDeps } from "../../runtime/context.js";
import type { CommandInput, CommandOutput } from "../types.js";

export async function runStandalone(input: CommandInput, deps: ContextDeps): Promise<CommandOutput> {
  const report = await runDoctor(input.opts, deps);
  const mark = { ok: "ok   ", warn: "warn ", error: "ERROR" } as const;
  const lines = [
    `config: ${report.config.path ?? "(none)"} — ${report.config.why}`,
    `env file: ${report.envFile ? `${report.envFile.path} (${report.envFile.set} variables set)` : "(none)"}`,
    "",
    ...report.checks.flatMap((c) => [
      `${mark[c.status]} ${c.id}: ${c.message}${c.fixed ? " [fixed]" : ""}`,
      ...(c.hint && c.status !== "ok" ? [`      → ${c.hint}`] : []),
    ]),
  ];
  return { data: report, text: lines.join("\n"), exitCode: report.ok ? ExitCode.ok : ExitCode.failure };
}
