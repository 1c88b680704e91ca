import type { Migration } from "./types.js";

export const mineEvidence: Migration = {
  version: 8,
  name: "mine: the full provenance of each mined fact (source entries, redacted quote, model, run)",
  sql: `
    CREATE TABLE mine_facts (
      id          INTEGER PRIMARY KEY AUTOINCREMENT,
      run_id      INTEGER NOT NULL,         -- runs.id of the mine run
      op          TEXT NOT NULL,            -- add | supersede | enrich
      path        TEXT NOT NULL,            -- brain-relative file the fact went to
      text        TEXT NOT NULL,            -- the fact as written, without its kb comment
      norm        TEXT NOT NULL,            -- dedup's normalised text, for lookups
      supersedes  TEXT,                     -- the fact it replaced (supersede, enrich)
      archived_to TEXT,                     -- where the replaced fact went
      agent       TEXT NOT NULL,
      source_file TEXT NOT NULL,            -- the log file (or store) the entries were read from
      session     TEXT,                     -- the log's session id (or a note's file name)
      entries     TEXT NOT NULL,            -- JSON [{key, at, session, entryId}] the quote spans
      entry_at    TEXT,                     -- timestamp of the first of them
      quote       TEXT NOT NULL,            -- the evidence, from the redacted text sent to the model
      model       TEXT NOT NULL,
      mode        TEXT NOT NULL,            -- review | apply
      branch      TEXT,                     -- review branch, in review mode
      commit_sha  TEXT,                     -- the commit that wrote it (null in a dry run or without git)
      mined_at    TEXT NOT NULL
    );
    CREATE INDEX mine_facts_by_norm ON mine_facts (norm);
    CREATE INDEX mine_facts_by_supersedes ON mine_facts (supersedes);
  `,
};
