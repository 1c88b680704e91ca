import type { Db } from "./db.js";

export type RunStatus = "running" | "ok" | "failed" | "locked" | "needs-human" | "transient";

export interface RunRecord {
  id: number;
  job: string;
  scope: string | null;
  host: string;
  pid: number;
  startedAt: string;
  endedAt: string | null;
  status: RunStatus;
  exitCode: number | null;
  counts: Record<string, number>;
  summary: Record<string, unknown>;
  error: string | null;
}

interface RunRow {
  id: number;
  job: string;
  scope: string | null;
  host: string;
  pid: number;
  started_at: string;
  ended_at: string | null;
  status: RunStatus;
  exit_code: number | null;
  counts: string | null;
  summary: string | null;
  error: string | null;
}

function toRecord(row: RunRow): RunRecord {
  return {
    id: row.id,
    job: row.job,
    scope: row.scope,
    host: row.host,
    pid: row.pid,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    status: row.status,
    exitCode: row.exit_code,
    counts: row.counts ? JSON.parse(row.counts) : {},
    summary: row.summary ? JSON.parse(row.summary) : {},
    error: row.error,
  };
}

export function startRun(
  db: Db,
  run: { job: string; scope?: string; host: string; startedAt: Date },
): number {
  const info = db
    .prepare("INSERT INTO runs (job, scope, host, pid, started_at, status) VALUES (?, ?, ?, ?, ?, 'running')")
    .run(run.job, run.scope ?? null, run.host, process.pid, run.startedAt.toISOString());
  return Number(info.lastInsertRowid);
}

export function finishRun(
  db: Db,
  id: number,
  end: {
    status: RunStatus;
    exitCode: number;
    endedAt: Date;
    counts?: Record<string, number>;
    summary?: Record<string, unknown>;
    error?: string;
  },
): void {
  db.prepare(
    "UPDATE runs SET status = ?, exit_code = ?, ended_at = ?, counts = ?, summary = ?, error = ? WHERE id = ?",
  ).run(
    end.status,
    end.exitCode,
    end.endedAt.toISOString(),
    JSON.stringify(end.counts ?? {}),
    JSON.stringify(end.summary ?? {}),
    end.error ?? null,
    id,
  );
}

export function getRun(db: Db, id: number): RunRecord | null {
  const row = db.prepare("SELECT * FROM runs WHERE id = ?").get(id) as RunRow | undefined;
  return row ? toRecord(row) : null;
}

/** The latest run of each (job, scope); runs skipped because the job was locked do not count. */
export function latestRuns(db: Db): RunRecord[] {
  const rows = db
    .prepare(
      `SELECT * FROM runs WHERE id IN (SELECT MAX(id) FROM runs WHERE status != 'locked' GROUP BY job, IFNULL(scope, '')) ORDER BY job, scope`,
    )
    .all() as RunRow[];
  return rows.map(toRecord);
}

/** The latest successful run of a job (and scope, when given). */
export function lastSuccess(db: Db, job: string, scope?: string | null): RunRecord | null {
  const row = db
    .prepare(
      `SELECT * FROM runs WHERE job = ? AND IFNULL(scope, '') = IFNULL(?, '') AND status = 'ok' ORDER BY id DESC LIMIT 1`,
    )
    .get(job, scope ?? null) as RunRow | undefined;
  return row ? toRecord(row) : null;
}

export function recentRuns(db: Db, limit = 20): RunRecord[] {
  return (db.prepare("SELECT * FROM runs ORDER BY id DESC LIMIT ?").all(limit) as RunRow[]).map(toRecord);
}
