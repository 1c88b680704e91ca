import type { Migration } from "./types.js";

export const mcpTokens: Migration = {
  version: 11,
  name: "mcp tokens: bearer tokens for kb mcp --http, stored as hashes only",
  sql: `
    CREATE TABLE mcp_tokens (
      name        TEXT PRIMARY KEY,         -- who holds it: a person or an agent
      hash        TEXT NOT NULL UNIQUE,     -- sha256 of the token, hex; the token itself is never stored
      scopes      TEXT NOT NULL,            -- JSON array of top-level folders; [] means the whole brain
      created_at  TEXT NOT NULL,
      revoked_at  TEXT,                     -- set by kb mcp token revoke; the token stops working at once
      last_used_at TEXT
    );
  `,
};
