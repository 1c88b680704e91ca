import type { Context } from "../../runtime/context.js";
import { ExitCode } from "../../runtime/errors.js";
import { latestRuns } from "../../state/runs.js";
import type { CommandInput, CommandOutput } from "../types.js";
import { table } from "./scan.js";

export async function run(ctx: Context, _input: CommandInput): Promise<CommandOutput> {
  const runs = latestRuns(ctx.db());
  const failing = runs.filter(
    (r) => r.status === "failed" || r.status === "needs-human" || r.status === "transient",
  );
  const data = { ok: failing.length === 0, host: ctx.config.host, jobs: runs };
  const rows = runs.map((r) => [
    r.scope ? `${r.job}:${r.scope}` : r.job,
    r.status,
    r.startedAt,
    r.endedAt ? `${Math.round(Date.parse(r.endedAt) - Date.parse(r.startedAt))} ms` : "-",
    r.error ?? "",
  ]);
  const text =
    runs.length === 0
      ? `no runs recorded yet in ${ctx.config.state}`
      : table(["job", "status", "started", "took", "error"], rows).join("\n");
  return { data, text, exitCode: data.ok ? ExitCode.ok : ExitCode.failure };
}
