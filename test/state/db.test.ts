import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { DB_FILE, migrate, openDb, schemaVersion } from "../../src/state/db.js";
import { migrations } from "../../src/state/migrations/index.js";
import { tempDir } from "../helpers/index.js";

describe("state database", () => {
  it("applies every migration once, in WAL mode, and is idempotent", () => {
    const dir = tempDir();
    const db = openDb(dir);
    const latest = Math.max(...migrations.map((m) => m.version));
    expect(schemaVersion(db)).toBe(latest);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(migrate(db)).toEqual([]);
    db.close();
    const again = openDb(dir);
    expect(schemaVersion(again)).toBe(latest);
    again.close();
  });

  it("refuses a database from a newer kb instead of corrupting it", () => {
    const dir = tempDir();
    const raw = new Database(join(dir, DB_FILE));
    raw.pragma("user_version = 999");
    raw.close();
    expect(() => openDb(dir)).toThrow(/schema is version 999 but this kb knows up to \d+; upgrade kb/);
  });

  it("rolls a failing migration back whole", () => {
    const db = openDb(tempDir(), []);
    expect(() =>
      migrate(db, [{ version: 1, name: "bad", sql: "CREATE TABLE t (x); CREATE TABLE t (y);" }]),
    ).toThrow();
    expect(schemaVersion(db)).toBe(0);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 't'").all()).toEqual([]);
    db.close();
  });
});
