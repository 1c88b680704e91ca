/**
 * kb's error classes. Commands throw them; only the entry point maps them to exit codes
 * (see `exitCodeFor`) and calls `process.exit`.
 */

/** Documented process exit codes. Stable: cron wrappers and monitors rely on them. */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  needsHuman: 3,
  locked: 4,
  transient: 5,
  /** `kb sync` refused: the repository is in a state a person must look at; nothing changed. */
  unsafe: 6,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class KbError extends Error {
  readonly exitCode: ExitCodeValue = ExitCode.failure;
  /** A stable, machine-readable code such as `CONFIG_UNKNOWN_KEY`. */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Bad flags or arguments. */
export class UsageError extends KbError {
  override readonly exitCode = ExitCode.usage;
}

/** The configuration file (or a value in it) is invalid or missing. */
export class ConfigError extends KbError {
  override readonly exitCode = ExitCode.usage;
}

/** A person must act: a sync conflict, an unsafe repository state, a launch gate not yet passed. */
export class NeedsHumanError extends KbError {
  override readonly exitCode = ExitCode.needsHuman;
}

/** Another run of the same job holds the lock; this run did nothing. */
export class LockedError extends KbError {
  override readonly exitCode = ExitCode.locked;
}

/** A failure that is expected to pass on retry (network, remote busy, rate limits). */
export class TransientError extends KbError {
  override readonly exitCode = ExitCode.transient;
}

export function exitCodeFor(error: unknown): ExitCodeValue {
  return error instanceof KbError ? error.exitCode : ExitCode.failure;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
