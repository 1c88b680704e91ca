import { createHash, randomBytes } from "node:crypto";
import { UsageError } from "../errors.js";
import type { Db } from "../state/db.js";

/**
 * Bearer tokens for `kb mcp --http`. A token is shown once, when it is made; only its SHA-256 is
 * kept, so the state database never holds one in clear. Every request looks its hash up, so a
 * revoked token stops working at once, without a restart.
 */
export interface TokenRecord {
  name: string;
  /** Top-level folders the holder may read; empty: the whole brain. */
  scopes: string[];
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/i;
const PREFIX = "kbt_";

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A new token for `name`; returns the token, which is never shown again. */
export function addToken(db: Db, name: string, scopes: string[], now: Date): string {
  if (!NAME.test(name))
    throw new UsageError(
      "MCP_TOKEN_NAME",
      `token name "${name}" is not valid: use letters, digits, dot, dash or underscore (up to 64), e.g. claude-desktop-ingrid`,
    );
  for (const s of scopes)
    if (!/^[^/\\.][^/\\]*$/.test(s))
      throw new UsageError("MCP_TOKEN_SCOPE", `--scope "${s}" is not a top-level folder name (e.g. finance)`);
  const existing = db.prepare("SELECT revoked_at FROM mcp_tokens WHERE name = ?").get(name) as
    | { revoked_at: string | null }
    | undefined;
  if (existing && existing.revoked_at === null)
    throw new UsageError(
      "MCP_TOKEN_EXISTS",
      `a live token named "${name}" exists; revoke it first (kb mcp token revoke ${name}) or pick another name`,
    );
  const token = PREFIX + randomBytes(32).toString("base64url");
  db.prepare(
    `INSERT INTO mcp_tokens (name, hash, scopes, created_at, revoked_at, last_used_at)
     VALUES (?, ?, ?, ?, NULL, NULL)
     ON CONFLICT (name) DO UPDATE SET hash = excluded.hash, scopes = excluded.scopes,
       created_at = excluded.created_at, revoked_at = NULL, last_used_at = NULL`,
  ).run(name, hashToken(token), JSON.stringify([...new Set(scopes)].sort()), now.toISOString());
  return token;
}

export function listTokens(db: Db): TokenRecord[] {
  const rows = db
    .prepare("SELECT name, scopes, created_at, revoked_at, last_used_at FROM mcp_tokens ORDER BY name")
    .all() as {
    name: string;
    scopes: string;
    created_at: string;
    revoked_at: string | null;
    last_used_at: string | null;
  }[];
  return rows.map((r) => ({
    name: r.name,
    scopes: JSON.parse(r.scopes) as string[],
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
    lastUsedAt: r.last_used_at,
  }));
}

export function revokeToken(db: Db, name: string, now: Date): TokenRecord {
  const live = listTokens(db).filter((t) => t.revokedAt === null);
  const token = live.find((t) => t.name === name);
  if (!token)
    throw new UsageError(
      "MCP_TOKEN_UNKNOWN",
      `no live token named "${name}"${live.length ? `; live tokens: ${live.map((t) => t.name).join(", ")}` : " (there are none)"}`,
    );
  db.prepare("UPDATE mcp_tokens SET revoked_at = ? WHERE name = ?").run(now.toISOString(), name);
  return { ...token, revokedAt: now.toISOString() };
}

/** The live token a request's `Authorization: Bearer …` value names, or null. */
export function checkToken(db: Db, presented: string, now: Date): TokenRecord | null {
  if (!presented.startsWith(PREFIX)) return null;
  const hash = hashToken(presented);
  const row = db
    .prepare(
      "SELECT name, scopes, created_at, last_used_at FROM mcp_tokens WHERE hash = ? AND revoked_at IS NULL",
    )
    .get(hash) as
    | { name: string; scopes: string; created_at: string; last_used_at: string | null }
    | undefined;
  // The lookup is by SHA-256 of the token, so timing says nothing of the token itself.
  if (!row) return null;
  // Last use to the minute: a busy client does not write the state database on every request.
  const lastUsedAt = now.toISOString();
  if (!row.last_used_at || row.last_used_at.slice(0, 16) !== lastUsedAt.slice(0, 16))
    db.prepare("UPDATE mcp_tokens SET last_used_at = ? WHERE name = ?").run(lastUsedAt, row.name);
  return {
    name: row.name,
    scopes: JSON.parse(row.scopes) as string[],
    createdAt: row.created_at,
    revokedAt: null,
    lastUsedAt: row.last_used_at?.slice(0, 16) === lastUsedAt.slice(0, 16) ? row.last_used_at : lastUsedAt,
  };
}
