import type { Migration } from "./types.js";

export const core: Migration = {
  version: 1,
  name: "core: job runs, locks, file index cache",
  sql: `
    CREATE TABLE runs (
      id          INTEGER PRIMARY KEY AUTOINCREMENT,
      job         TEXT NOT NULL,            -- sync | mine | dedup | audit | ...
      scope       TEXT,                     -- dedup scope, mine agent, ...
      host        TEXT NOT NULL,
      pid         INTEGER NOT NULL,
      started_at  TEXT NOT NULL,
      ended_at    TEXT,
      status      TEXT NOT NULL,            -- running | ok | failed | locked | needs-human | transient
      exit_code   INTEGER,
      counts      TEXT,                     -- JSON object of job-specific numbers
      summary     TEXT,                     -- JSON: what the job wants status/health to show
      error       TEXT
    );
    CREATE INDEX runs_by_job ON runs (job, scope, id);

    CREATE TABLE locks (
      name        TEXT PRIMARY KEY,         -- job or job:scope
      pid         INTEGER NOT NULL,
      host        TEXT NOT NULL,
      run_id      INTEGER,
      acquired_at TEXT NOT NULL
    );

    CREATE TABLE file_index (
      brain       TEXT NOT NULL,            -- absolute brain root (one DB may serve several brains in tests)
      path        TEXT NOT NULL,            -- posix path relative to the brain
      size        INTEGER NOT NULL,
      mtime_ms    REAL NOT NULL,
      hash        TEXT NOT NULL,
      fact_count  INTEGER NOT NULL,
      doc         TEXT NOT NULL,            -- JSON of the parsed document without its facts (or its error)
      facts       TEXT,                     -- JSON of the facts, packed as arrays; decoded on first use
      PRIMARY KEY (brain, path)
    ) WITHOUT ROWID;
  `,
};
