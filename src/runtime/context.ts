import { type Config, loadConfig } from "../config/load.js";
import { UsageError } from "../errors.js";
import { type Db, openDb } from "../state/db.js";
import { type Clock, fixedClock, systemClock } from "./clock.js";
import { createLogger, type Logger } from "./log.js";

/** Options every command accepts. */
export interface GlobalOptions {
  config?: string;
  brain?: string;
  state?: string;
  reports?: string;
  asOf?: string;
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
}

/**
 * What a command runs with: the validated config, the clock, the logger and the state database
 * (opened on first use, closed by `close`). Nothing is opened at import time.
 */
export interface Context {
  config: Config;
  clock: Clock;
  log: Logger;
  options: GlobalOptions;
  /** The environment kb was started with (a test's, when run in-process). */
  env: NodeJS.ProcessEnv;
  /** Aborted on SIGTERM/SIGINT: long jobs checkpoint and stop. */
  signal: AbortSignal;
  db(): Db;
  close(): void;
}

export interface ContextDeps {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  log?: Logger;
  signal?: AbortSignal;
}

export function createContext(options: GlobalOptions, deps: ContextDeps = {}): Context {
  const config = loadConfig({
    configPath: options.config,
    env: deps.env ?? process.env,
    cwd: deps.cwd ?? process.cwd(),
    overrides: { brain: options.brain, state: options.state, reports: options.reports },
  });
  const clock = options.asOf ? fixedClock(parseAsOf(options.asOf)) : systemClock();
  const log =
    deps.log ??
    createLogger({ level: options.quiet ? "warn" : options.verbose ? "debug" : "info", clock: clock.now });
  let db: Db | undefined;
  return {
    config,
    clock,
    log,
    options,
    env: deps.env ?? process.env,
    signal: deps.signal ?? new AbortController().signal,
    db: () => {
      db ??= openDb(config.state);
      return db;
    },
    close: () => {
      db?.close();
      db = undefined;
    },
  };
}

/** `--as-of` accepts YYYY-MM-DD (noon UTC, so every time zone agrees on the day) or a full ISO time. */
export function parseAsOf(value: string): Date {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00Z`) : new Date(value);
  if (
    Number.isNaN(date.getTime()) ||
    (/^\d{4}-\d{2}-\d{2}$/.test(value) && date.toISOString().slice(0, 10) !== value)
  ) {
    throw new UsageError(
      "BAD_AS_OF",
      `--as-of "${value}" is not a date; expected YYYY-MM-DD or an ISO 8601 time`,
    );
  }
  return date;
}
