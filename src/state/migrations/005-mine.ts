import type { Migration } from "./types.js";

export const mine: Migration = {
  version: 5,
  name: "mine: source watermarks, entries already mined, LLM usage, rejected operations",
  sql: `
    CREATE TABLE mine_watermarks (
      source      TEXT NOT NULL,            -- agent:kind
      file        TEXT NOT NULL,            -- absolute path of the log file (or store)
      offset      INTEGER NOT NULL,         -- bytes read and mined (or the last seq of a store)
      head_hash   TEXT NOT NULL,            -- sha256 of the first bytes up to offset (detects rotation/truncation)
      size        INTEGER NOT NULL,
      updated_at  TEXT NOT NULL,
      PRIMARY KEY (source, file)
    ) WITHOUT ROWID;

    CREATE TABLE mine_seen (
      agent       TEXT NOT NULL,
      entry       TEXT NOT NULL,            -- stable entry key (id@timestamp, or a content hash)
      run_id      INTEGER,
      PRIMARY KEY (agent, entry)
    ) WITHOUT ROWID;

    CREATE TABLE llm_usage (
      run_id             INTEGER NOT NULL,
      model              TEXT NOT NULL,
      calls              INTEGER NOT NULL,
      attempts           INTEGER NOT NULL,
      prompt_tokens      INTEGER NOT NULL,
      completion_tokens  INTEGER NOT NULL,
      cost_usd           REAL NOT NULL,
      PRIMARY KEY (run_id, model)
    );

    CREATE TABLE mine_rejections (
      id          INTEGER PRIMARY KEY AUTOINCREMENT,
      run_id      INTEGER NOT NULL,
      agent       TEXT NOT NULL,
      reason      TEXT NOT NULL,
      detail      TEXT NOT NULL,
      at          TEXT NOT NULL
    );
  `,
};
