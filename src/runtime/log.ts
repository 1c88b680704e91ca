/**
 * The one logger. JSON lines on stderr when stderr is not a TTY (cron, systemd, launchd), short
 * human lines when it is. Hand-written because the two formats and the `--quiet` switch are all
 * kb needs; a logging library would cost start-up time on every `kb` invocation.
 */
export type Level = "debug" | "info" | "warn" | "error";
const rank: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /**
   * A job's result, which its command also prints as the summary line: an info line in JSON logs
   * (cron, systemd, launchd), a debug line on a terminal, where it would say the same thing twice.
   */
  result(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  level?: Level;
  json?: boolean;
  color?: boolean;
  write?: (line: string) => void;
  clock?: () => Date;
}

export function createLogger(options: LoggerOptions = {}, bound: Record<string, unknown> = {}): Logger {
  const min = rank[options.level ?? "info"];
  const json = options.json ?? !process.stderr.isTTY;
  const color = options.color ?? (!json && !process.env.NO_COLOR && process.stderr.isTTY === true);
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const clock = options.clock ?? (() => new Date());

  const emit = (level: Level, msg: string, fields: Record<string, unknown> = {}) => {
    if (rank[level] < min) return;
    const all = { ...bound, ...fields };
    if (json) {
      write(JSON.stringify({ time: clock().toISOString(), level, msg, ...all }));
      return;
    }
    const extras = Object.entries(all)
      .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
      .join(" ");
    const tag = level === "info" ? "" : `${paint(level, color)} `;
    write(`${tag}${msg}${extras ? ` ${dim(extras, color)}` : ""}`);
  };

  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
    result: (m, f) => emit(json ? "info" : "debug", m, f),
    child: (fields) => createLogger(options, { ...bound, ...fields }),
  };
}

function paint(level: Level, color: boolean): string {
  if (!color) return `${level}:`;
  const code = level === "error" ? 31 : level === "warn" ? 33 : 90;
  return `\x1b[${code}m${level}:\x1b[0m`;
}

function dim(text: string, color: boolean): string {
  return color ? `\x1b[90m${text}\x1b[0m` : text;
}

/** A logger that drops everything; for library callers and tests that do not care. */
export const silentLogger: Logger = createLogger({ level: "error", write: () => {} });
