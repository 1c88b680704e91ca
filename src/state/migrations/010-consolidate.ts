import type { Migration } from "./types.js";

export const consolidate: Migration = {
  version: 10,
  name: "consolidate: superseded statements, contradictions for a person, values that change on a date",
  sql: `
    CREATE TABLE consolidate_changes (
      id           INTEGER PRIMARY KEY AUTOINCREMENT,
      run_id       INTEGER NOT NULL,        -- runs.id of the consolidate run
      brain        TEXT NOT NULL,
      path         TEXT NOT NULL,           -- file of the superseded statement
      line         INTEGER NOT NULL,
      old          TEXT NOT NULL,           -- the statement, without kb comments
      rewritten    TEXT,                    -- what stands in its place, null when archived
      current_path TEXT NOT NULL,           -- the current statement that decided it
      current_text TEXT NOT NULL,
      rule         TEXT NOT NULL,           -- effective-date | changed | newer | settled
      why          TEXT NOT NULL,           -- the evidence, in words
      archived_to  TEXT NOT NULL,
      mode         TEXT NOT NULL,           -- review | apply
      branch       TEXT,                    -- review branch, in review mode
      commit_sha   TEXT,
      at           TEXT NOT NULL
    );
    CREATE INDEX consolidate_changes_by_old ON consolidate_changes (old);

    CREATE TABLE contested (
      id           INTEGER PRIMARY KEY AUTOINCREMENT,
      brain        TEXT NOT NULL,
      key          TEXT NOT NULL,           -- the two statements, sorted: one item per pair
      a_path       TEXT NOT NULL,
      a_line       INTEGER NOT NULL,
      a_text       TEXT NOT NULL,
      b_path       TEXT NOT NULL,
      b_line       INTEGER NOT NULL,
      b_text       TEXT NOT NULL,
      attribute    TEXT NOT NULL,
      why          TEXT NOT NULL,           -- why kb did not decide
      status       TEXT NOT NULL,           -- open | settled | gone (no longer both live)
      first_seen   TEXT NOT NULL,
      last_seen    TEXT NOT NULL,
      settled_keep TEXT,                    -- a | b
      settled_at   TEXT,
      UNIQUE (brain, key)
    );

    CREATE TABLE scheduled_values (
      brain        TEXT NOT NULL,
      current_path TEXT NOT NULL,           -- holds until on_date
      current_text TEXT NOT NULL,
      next_path    TEXT NOT NULL,           -- takes over on on_date
      next_text    TEXT NOT NULL,
      on_date      TEXT NOT NULL,
      PRIMARY KEY (brain, current_path, current_text, next_path, next_text)
    ) WITHOUT ROWID;
  `,
};
