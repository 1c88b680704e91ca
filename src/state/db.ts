import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type Database from "better-sqlite3";
import { KbError } from "../errors.js";
import { migrations as allMigrations } from "./migrations/index.js";
import type { Migration } from "./migrations/types.js";
import { openSqlite } from "./native.js";

export type Db = Database.Database;

export const DB_FILE = "kb.sqlite";

/** Open (creating if needed) the per-host state database in `stateDir` and bring its schema up to date. */
export function openDb(stateDir: string, migrations: Migration[] = allMigrations): Db {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const db = openSqlite(join(stateDir, DB_FILE));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  db.pragma("foreign_keys = ON");
  migrate(db, migrations);
  return db;
}

export function schemaVersion(db: Db): number {
  return db.pragma("user_version", { simple: true }) as number;
}

/** Apply every migration newer than `user_version`, each in its own transaction. */
export function migrate(db: Db, migrations: Migration[] = allMigrations): number[] {
  const current = schemaVersion(db);
  const latest = Math.max(0, ...migrations.map((m) => m.version));
  if (current > latest) {
    throw new KbError(
      "STATE_TOO_NEW",
      `state database schema is version ${current} but this kb knows up to ${latest}; upgrade kb (downgrades are not supported)`,
    );
  }
  const applied: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
    applied.push(m.version);
  }
  return applied;
}
