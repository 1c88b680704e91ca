import type { Migration } from "./types.js";

export const searches: Migration = {
  version: 11,
  name: "searches: what people and agents asked the brain, and how well it answered",
  sql: `
    CREATE TABLE searches (
      id          INTEGER PRIMARY KEY AUTOINCREMENT,
      at          TEXT NOT NULL,            -- ISO time of the search
      brain       TEXT NOT NULL,            -- absolute brain root
      source      TEXT NOT NULL,            -- cli | mcp (later: openclaw memory_search)
      query       TEXT NOT NULL,            -- as asked, secrets redacted
      hits        INTEGER NOT NULL,         -- facts returned
      best_score  REAL,                     -- score of the first hit (null when none)
      coverage    REAL,                     -- share of the query's words the first hit says (0 when none)
      weak        INTEGER NOT NULL,         -- 1 when nothing answered it (no hit, or the first says too little)
      files       TEXT NOT NULL             -- JSON [path:line] of the facts returned, in order
    );
    CREATE INDEX searches_by_time ON searches (brain, at);
  `,
};
