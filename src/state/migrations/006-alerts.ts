import type { Migration } from "./types.js";

export const alerts: Migration = {
  version: 6,
  name: "alerts: conditions that have been announced and not yet resolved",
  sql: `
    CREATE TABLE alerts_open (
      key         TEXT PRIMARY KEY,         -- e.g. run:sync, overdue:dedup:hr, budget:mine
      kind        TEXT NOT NULL,            -- failure | conflict | overdue | budget
      message     TEXT NOT NULL,
      opened_at   TEXT NOT NULL,
      seen_at     TEXT NOT NULL,            -- the latest time the condition was observed
      delivered   INTEGER NOT NULL DEFAULT 0 -- 1 once the webhook accepted it; 0 retries on the next observation
    ) WITHOUT ROWID;
  `,
};
