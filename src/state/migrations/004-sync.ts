import type { Migration } from "./types.js";

export const sync: Migration = {
  version: 4,
  name: "sync: history of sync runs and the conflicts they left",
  sql: `
    CREATE TABLE sync_history (
      run_id      INTEGER PRIMARY KEY,      -- runs.id
      result      TEXT NOT NULL,            -- ok | conflict | locked | unsafe | network | error
      head        TEXT,                     -- local HEAD after the run
      hub_head    TEXT,                     -- the hub's branch after the run
      commits_in  INTEGER NOT NULL DEFAULT 0,
      commits_out INTEGER NOT NULL DEFAULT 0,
      attempts    INTEGER NOT NULL DEFAULT 0,
      duration_ms INTEGER NOT NULL DEFAULT 0,
      detail      TEXT                      -- JSON: the sync's --json result
    );

    CREATE TABLE sync_conflicts (
      id          INTEGER PRIMARY KEY AUTOINCREMENT,
      run_id      INTEGER NOT NULL,
      path        TEXT NOT NULL,
      kind        TEXT NOT NULL,
      severity    TEXT NOT NULL,            -- conflict | note
      detail      TEXT NOT NULL,
      copy        TEXT                      -- conflict copy beside the file, if any
    );
    CREATE INDEX sync_conflicts_by_run ON sync_conflicts (run_id);
  `,
};
