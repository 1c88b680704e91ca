import type { Migration } from "./types.js";

/**
 * What agents read: every retrieval (a search, a file read, an OpenClaw memory tool call) is a row
 * of `searches`, now with the tool and who called it; `reads` holds one row per fact or file it
 * returned, so counts per file and per fact are one indexed query. Counts live here, never in the
 * brain's files.
 */
export const reads: Migration = {
  version: 14,
  name: "reads: which facts and files agents retrieve, by tool and caller",
  sql: `
    ALTER TABLE searches ADD COLUMN tool TEXT NOT NULL DEFAULT 'search'; -- search | read_file | memory_search | memory_get
    ALTER TABLE searches ADD COLUMN caller TEXT;                         -- MCP token name, OpenClaw agent; null on the CLI
    ALTER TABLE searches ADD COLUMN ref TEXT;                            -- where a logged call was read (transcript entry), once
    CREATE UNIQUE INDEX searches_by_ref ON searches (ref) WHERE ref IS NOT NULL;
    CREATE TABLE reads (
      search_id   INTEGER NOT NULL REFERENCES searches (id) ON DELETE CASCADE,
      brain       TEXT NOT NULL,
      at          TEXT NOT NULL,
      path        TEXT NOT NULL,              -- brain-relative file
      fact        TEXT                        -- the fact's text, kb comments stripped; null when the whole file was read
    );
    CREATE INDEX reads_by_path ON reads (brain, path, at);
    CREATE INDEX reads_by_time ON reads (brain, at);
  `,
};
