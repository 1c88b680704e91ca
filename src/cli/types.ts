import type { Context, ContextDeps } from "../runtime/context.js";

/** What every command returns: data for `--json`, text for people, and an exit code. */
export interface CommandOutput {
  data: unknown;
  text: string;
  exitCode?: number;
}

export interface CommandInput {
  args: string[];
  opts: Record<string, unknown>;
}

export interface CommandModule {
  run(ctx: Context, input: CommandInput): Promise<CommandOutput>;
}

/** A command that builds its own context (e.g. `doctor`, which must run when the config is broken). */
export interface StandaloneModule {
  runStandalone(input: CommandInput, deps: ContextDeps): Promise<CommandOutput>;
}

/** A command-line option: flags as commander writes them, a description, an optional default; hidden options (deprecated aliases) stay out of --help. */
export type OptionSpec = [
  flags: string,
  description: string,
  defaultValue?: string | boolean | string[],
  hidden?: "hidden",
];

export interface CommandSpec {
  name: string;
  summary: string;
  /** Positional arguments in commander syntax, e.g. "<path...>" or "[job]". */
  args?: string;
  options?: OptionSpec[];
  /** Writing commands take --dry-run. */
  writes?: boolean;
  /**
   * Changes the brain (always, or for these options): refused on the bundled sample brain
   * (config `sample: true`) unless it is a dry run.
   */
  changesBrain?: true | ((opts: Record<string, unknown>) => boolean);
  /** Longer help shown after the options. */
  help?: string;
  /** Runs scheduled jobs: afterwards, jobs overdue on this host are alerted (see `ops/health-alerts`). */
  job?: boolean;
  /** Internal (e.g. git's merge driver): runs, but is not listed in `kb --help`. */
  hidden?: boolean;
  /** The module builds its own context (see `StandaloneModule`). */
  standalone?: boolean;
  load: () => Promise<CommandModule | StandaloneModule>;
}
