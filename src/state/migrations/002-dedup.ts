import type { Migration } from "./types.js";

export const dedup: Migration = {
  version: 2,
  name: "dedup: tombstones so kb undo can restore what a run removed",
  sql: `
    CREATE TABLE dedup_tombstones (
      run_id      INTEGER NOT NULL,         -- runs.id of the dedup run
      seq         INTEGER NOT NULL,         -- order the files were written in
      brain       TEXT NOT NULL,            -- absolute brain root
      path        TEXT NOT NULL,            -- brain-relative file that was edited
      hash_before TEXT NOT NULL,            -- sha256 of the file text before the run
      hash_after  TEXT NOT NULL,            -- … and after it
      undo        TEXT NOT NULL,            -- JSON splices against the after-text that restore the before-text
      removed     TEXT NOT NULL,            -- JSON [{line, text, keptPath, keptText, score}] for people
      undone_at   TEXT,                     -- set by kb undo
      PRIMARY KEY (run_id, seq)
    );
  `,
};
