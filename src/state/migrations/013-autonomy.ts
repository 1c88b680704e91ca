import type { Migration } from "./types.js";

export const autonomy: Migration = {
  version: 13,
  name: "autonomy: what became of each proposed or applied change, folder demotions, mode history",
  sql: `
    CREATE TABLE autonomy_reviews (
      kind         TEXT NOT NULL,           -- mine | consolidate
      record_id    INTEGER NOT NULL,        -- mine_facts.id or consolidate_changes.id
      folder       TEXT NOT NULL,           -- the autonomy unit: a mine.autonomy pattern or a top-level folder
      path         TEXT NOT NULL,
      present      TEXT,                    -- a fact kb's change put in the file (null: none)
      absent       TEXT,                    -- a fact kb's change took out of the file (null: none)
      mode         TEXT NOT NULL,           -- review | apply
      branch       TEXT,
      commit_sha   TEXT NOT NULL,
      proposed_at  TEXT NOT NULL,
      outcome      TEXT NOT NULL,           -- pending | accepted | edited | rejected (review); kept | reverted | replaced (apply)
      decided_at   TEXT,
      by_commit    TEXT,                    -- the merge that accepted it, or the commit that reverted it
      detail       TEXT,
      PRIMARY KEY (kind, record_id)
    ) WITHOUT ROWID;
    CREATE INDEX autonomy_reviews_by_folder ON autonomy_reviews (folder, decided_at);

    CREATE TABLE autonomy_demotions (
      id           INTEGER PRIMARY KEY AUTOINCREMENT,
      folder       TEXT NOT NULL,
      commit_sha   TEXT NOT NULL,           -- the person's commit that reverted or rewrote kb's change
      author       TEXT NOT NULL,
      subject      TEXT NOT NULL,
      path         TEXT NOT NULL,
      at           TEXT NOT NULL,
      lifted_at    TEXT
    );

    CREATE TABLE autonomy_modes (
      folder       TEXT NOT NULL,
      mode         TEXT NOT NULL,           -- review | apply: the mode kb ran the folder in from \`since\`
      since        TEXT NOT NULL,
      PRIMARY KEY (folder, since)
    ) WITHOUT ROWID;

    CREATE TABLE autonomy_checked (
      id           INTEGER PRIMARY KEY CHECK (id = 1),
      head         TEXT NOT NULL            -- the commit whose files applied changes were last checked at
    );
  `,
};
