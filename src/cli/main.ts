import { userInfo } from "node:os";
import { Command, CommanderError, Option } from "commander";
import { ExitCode, errorMessage, exitCodeFor, KbError } from "../errors.js";
import { type Context, createContext, type GlobalOptions } from "../runtime/context.js";
import { commands } from "./registry.js";
import { refuseSampleBrain } from "./sample-guard.js";
import type { CommandOutput, CommandSpec } from "./types.js";

export const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  failure (see the message and the run record)
  2  usage or configuration error
  3  needs a person (sync conflict, files dedup could not write, launch gate not passed)
  4  skipped: another run of the same job holds the lock
  5  transient (network, hub unreachable, rate limited); retry later
  6  kb sync refused, nothing changed (repository mid-merge, detached HEAD, mass deletion)`;

export interface MainIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  signal?: AbortSignal;
}

const defaultIO: MainIO = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

/** Parse argv and run one command. Returns the exit code; never calls `process.exit`. */
export async function main(argv: string[], version: string, io: MainIO = defaultIO): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const program = new Command("kb")
    .description("keeps an agent fleet's shared knowledge base (the brain) correct, small and current")
    .version(version, "-V, --version")
    .option("--config <file>", "config file (default: $KB_CONFIG, then ./kb.config.yaml)")
    .option("--brain <dir>", "brain folder (overrides the config)")
    .option("--state <dir>", "state folder (overrides the config)")
    .option("--reports <dir>", "reports folder (overrides the config)")
    .option("--as-of <date>", "pin 'now' (YYYY-MM-DD or ISO time) for reproducible reports")
    .option("--json", "print machine-readable JSON on stdout")
    .option("-q, --quiet", "only warnings and errors on stderr")
    .option("--verbose", "debug logging")
    .addHelpText("after", EXIT_CODES_HELP)
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  for (const spec of commands) {
    const cmd = program
      .command(spec.args ? `${spec.name} ${spec.args}` : spec.name, { hidden: spec.hidden === true })
      .description(spec.summary);
    for (const [flags, description, defaultValue, hidden] of spec.options ?? []) {
      cmd.addOption(new Option(flags, description).default(defaultValue).hideHelp(hidden === "hidden"));
    }
    if (spec.writes) cmd.option("--dry-run", "print the plan; change nothing");
    if (spec.help) cmd.addHelpText("after", `\n${spec.help}`);
    cmd.action(async (...params: unknown[]) => {
      const command = params.at(-1) as Command;
      exitCode = await runCommand(spec, command, io);
    });
  }

  try {
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    io.stderr(`kb: ${errorMessage(error)}\n`);
    return exitCodeFor(error);
  }
}

async function runCommand(spec: CommandSpec, command: Command, io: MainIO): Promise<number> {
  const opts = command.optsWithGlobals() as GlobalOptions & Record<string, unknown>;
  let ctx: Context | undefined;
  try {
    const deps = { env: io.env, cwd: io.cwd, signal: io.signal };
    const module = await spec.load();
    const input = { args: command.args, opts };
    let output: CommandOutput;
    if ("runStandalone" in module) output = await module.runStandalone(input, deps);
    else {
      ctx = createContext(opts, deps);
      if (!opts.dryRun && changesBrain(spec, opts)) refuseSampleBrain(ctx.config, spec.name);
      output = await module.run(ctx, input);
    }
    if (opts.json) io.stdout(`${JSON.stringify(output.data, null, 2)}\n`);
    else if (output.text) io.stdout(output.text.endsWith("\n") ? output.text : `${output.text}\n`);
    return output.exitCode ?? ExitCode.ok;
  } catch (error) {
    const code = exitCodeFor(error);
    if (opts.json) {
      const kbCode = error instanceof KbError ? error.code : "ERROR";
      io.stdout(
        `${JSON.stringify({ ok: false, error: { code: kbCode, message: errorMessage(error), exitCode: code } }, null, 2)}\n`,
      );
    }
    io.stderr(`kb ${spec.name}: ${permissionMessage(error) ?? errorMessage(error)}\n`);
    if (!(error instanceof KbError) && opts.verbose && error instanceof Error) io.stderr(`${error.stack}\n`);
    return code;
  } finally {
    if (ctx && spec.job && !opts.dryRun) await (await import("../ops/health-alerts.js")).checkOverdue(ctx);
    ctx?.close();
  }
}

function changesBrain(spec: CommandSpec, opts: Record<string, unknown>): boolean {
  return typeof spec.changesBrain === "function" ? spec.changesBrain(opts) : spec.changesBrain === true;
}

/** A permission error from the file system, in words that say whose it is and where to look. */
function permissionMessage(error: unknown): string | null {
  const e = error as NodeJS.ErrnoException;
  if (e?.code !== "EACCES" && e?.code !== "EPERM") return null;
  // Atomic writes go through a temporary sibling (payments.md.788575594); name the file itself.
  const where = e.path ? ` ${e.path.replace(/\.\d{6,}$/, "")}` : "";
  return `permission denied (${e.code}) on${where} for ${userInfo().username}; run kb doctor as this account to see every folder kb cannot write and the chown that fixes it (never chmod 777)`;
}
