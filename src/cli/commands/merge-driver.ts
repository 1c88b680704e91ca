import { UsageError } from "../../errors.js";
import type { ContextDeps } from "../../runtime/context.js";
import { runMergeDriver } from "../../sync/driver.js";
import type { CommandInput, CommandOutput } from "../types.js";

/** `kb merge-driver %O %A %B %P`: git calls it; it needs no config and writes the merge to %A. */
export async function runStandalone(input: CommandInput, deps: ContextDeps): Promise<CommandOutput> {
  const [base, ours, theirs, path] = input.args;
  if (!base || !ours || !theirs || !path) {
    throw new UsageError(
      "MERGE_DRIVER_ARGS",
      "kb merge-driver needs four arguments: %O %A %B %P (base, ours, theirs, path), as git passes them",
    );
  }
  const cwd = deps.cwd ?? process.cwd();
  const { conflicts } = await runMergeDriver(
    { base, ours, theirs, path },
    { cwd, env: deps.env ?? process.env },
  );
  return { data: { path, conflicts }, text: "", exitCode: 0 };
}
