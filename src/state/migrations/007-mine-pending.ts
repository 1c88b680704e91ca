import type { Migration } from "./types.js";

export const minePending: Migration = {
  version: 7,
  name: "mine: chunks whose facts are being written, so a killed run can settle them",
  sql: `
    CREATE TABLE mine_pending (
      marker      TEXT PRIMARY KEY,         -- run.chunk; also a trailer in the chunk's commits
      checkpoint  TEXT NOT NULL,            -- JSON: the watermark the chunk moves to once written
      parts       TEXT NOT NULL,            -- JSON: ["review", "apply"] parts with facts to write
      done        TEXT NOT NULL DEFAULT '[]', -- JSON: parts written (committed, or nothing to commit)
      apply_paths TEXT NOT NULL DEFAULT '[]'  -- JSON: brain paths the apply part may change
    ) WITHOUT ROWID;
  `,
};
