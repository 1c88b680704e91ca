import type { Migration } from "./types.js";

export const embeddings: Migration = {
  version: 15,
  name: "embeddings: one vector per model and fact text, for hybrid search",
  sql: `
    -- SHA-256 of the fact's text: what its vector is keyed by (null until first needed).
    ALTER TABLE search_facts ADD COLUMN text_hash TEXT;
    CREATE INDEX search_facts_by_text_hash ON search_facts (text_hash);

    CREATE TABLE search_vectors (
      model       TEXT NOT NULL,            -- search.embeddings.model that made it
      hash        TEXT NOT NULL,            -- search_facts.text_hash
      dims        INTEGER NOT NULL,
      vector      BLOB NOT NULL,            -- Float32Array, little-endian, unit length
      PRIMARY KEY (model, hash)
    ) WITHOUT ROWID;
  `,
};
