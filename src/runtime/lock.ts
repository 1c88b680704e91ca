import { existsSync, readFileSync } from "node:fs";
import { LockedError } from "../errors.js";
import type { Db } from "../state/db.js";

export interface Lock {
  name: string;
  /** True when a lock left by a dead process was taken over. */
  tookOver: boolean;
  release(): void;
}

export interface LockOptions {
  host: string;
  runId?: number;
  now?: Date;
  /** A lock older than this is considered abandoned even if its pid is alive (pid reuse). */
  staleAfterMs?: number;
}

interface LockRow {
  pid: number;
  host: string;
  acquired_at: string;
}

/**
 * A per-host, cross-process lock held in the state database. A second run of the same job gets
 * `LockedError` at once; a lock whose process is gone (kill -9, reboot) is taken over.
 */
export function acquireLock(db: Db, name: string, options: LockOptions): Lock {
  const now = options.now ?? new Date();
  const staleAfter = options.staleAfterMs ?? 6 * 60 * 60 * 1000;
  let tookOver = false;
  db.transaction(() => {
    const row = db.prepare("SELECT pid, host, acquired_at FROM locks WHERE name = ?").get(name) as
      | LockRow
      | undefined;
    if (row) {
      const age = now.getTime() - Date.parse(row.acquired_at);
      if (processAlive(row.pid) && age < staleAfter) {
        throw new LockedError(
          "LOCKED",
          `${name} is already running (pid ${row.pid} on ${row.host}, since ${row.acquired_at}); this run did nothing`,
        );
      }
      tookOver = true;
      db.prepare("DELETE FROM locks WHERE name = ?").run(name);
    }
    db.prepare("INSERT INTO locks (name, pid, host, run_id, acquired_at) VALUES (?, ?, ?, ?, ?)").run(
      name,
      process.pid,
      options.host,
      options.runId ?? null,
      now.toISOString(),
    );
  }).immediate();
  return {
    name,
    tookOver,
    release: () => {
      db.prepare("DELETE FROM locks WHERE name = ? AND pid = ?").run(name, process.pid);
    },
  };
}

/** Whether `pid` is a live process that could be a kb run (on Linux, checked through /proc). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  const cmdline = `/proc/${pid}/cmdline`;
  if (existsSync(cmdline)) {
    try {
      const text = readFileSync(cmdline, "utf8");
      if (text.length === 0) return false; // zombie
      return /node|kb/.test(text);
    } catch {
      return true;
    }
  }
  return true;
}
