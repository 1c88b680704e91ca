import type { Migration } from "./types.js";

export const audit: Migration = {
  version: 3,
  name: "audit: snapshots for trends, launches, per-file text analysis cache",
  sql: `
    CREATE TABLE audit_snapshots (
      brain       TEXT NOT NULL,
      as_of       TEXT NOT NULL,            -- YYYY-MM-DD the audit was taken for
      files       INTEGER NOT NULL,
      reviewed    INTEGER NOT NULL,         -- files reviewed within their interval
      summary     TEXT NOT NULL,            -- JSON: counts by reason, by owner, cohorts
      PRIMARY KEY (brain, as_of)
    ) WITHOUT ROWID;

    CREATE TABLE audit_launches (
      brain       TEXT NOT NULL,
      id          TEXT NOT NULL,
      since       TEXT NOT NULL,            -- reviews on or after this day count for the launch
      about       TEXT NOT NULL,            -- JSON array of entity keys
      supersedes  TEXT NOT NULL,            -- JSON array of entity keys
      created_at  TEXT NOT NULL,
      PRIMARY KEY (brain, id)
    ) WITHOUT ROWID;

    CREATE TABLE audit_text_cache (
      brain       TEXT NOT NULL,
      path        TEXT NOT NULL,
      hash        TEXT NOT NULL,            -- content hash from the file index
      analysis    TEXT NOT NULL,            -- JSON: frontmatter key lines, temporal hits, links
      PRIMARY KEY (brain, path)
    ) WITHOUT ROWID;
  `,
};
