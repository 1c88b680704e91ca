/** Characters no shell, unit file or crontab gives a meaning to. */
const PLAIN = /^[A-Za-z0-9_@+=:,./-]+$/;

/** One POSIX shell word: as is when plain, else single-quoted. */
export function shellWord(value: string): string {
  return PLAIN.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * A crontab command line: cron turns an unescaped `%` into a newline (crontab(5)), so every `%`
 * is escaped; the rest is a shell command line.
 */
export function crontabCommand(words: string[]): string {
  return words.join(" ").replaceAll("%", "\\%");
}

/**
 * One argument on a systemd `ExecStart=` line (systemd.service(5), "Command lines"): double-quoted
 * with C escapes when not plain, `%` doubled (specifiers) and `$` doubled (variable expansion).
 */
export function systemdWord(value: string): string {
  const escaped = value.replaceAll("%", "%%").replaceAll("$", "$$$$");
  return PLAIN.test(value) ? escaped : `"${escaped.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
}

/** One `Environment=` assignment, always double-quoted so spaces in a path cannot split it. */
export function systemdAssignment(name: string, value: string): string {
  return `"${name}=${value.replaceAll("%", "%%").replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
}
