import type { Migration } from "./types.js";

export const search: Migration = {
  version: 9,
  name: "search: a full-text index of the brain's facts, kept in step with the file index",
  sql: `
    CREATE TABLE search_docs (
      brain       TEXT NOT NULL,            -- absolute brain root
      path        TEXT NOT NULL,            -- posix path relative to the brain
      hash        TEXT NOT NULL,            -- content hash the facts below were read from
      meta        TEXT NOT NULL,            -- JSON of the frontmatter (review state is computed per query)
      PRIMARY KEY (brain, path)
    ) WITHOUT ROWID;

    CREATE TABLE search_facts (
      id          INTEGER PRIMARY KEY,      -- also the rowid of the fact in search_fts
      brain       TEXT NOT NULL,
      path        TEXT NOT NULL,
      line        INTEGER NOT NULL,
      section     TEXT NOT NULL,
      text        TEXT NOT NULL             -- the fact without kb's comments
    );
    CREATE INDEX search_facts_by_path ON search_facts (brain, path);

    CREATE VIRTUAL TABLE search_fts USING fts5 (
      text, context,             -- context: the file title, the section heading and the path words
      content = '', contentless_delete = 1,
      tokenize = 'porter unicode61 remove_diacritics 2'
    );
    -- BM25 with the fact's own words weighing more than its file title and section heading.
    INSERT INTO search_fts (search_fts, rank) VALUES ('rank', 'bm25(1.0, 0.35)');
  `,
};
