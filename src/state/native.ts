import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { KbError } from "../errors.js";

/** Node releases by the NODE_MODULE_VERSION their native modules are built for. */
const NODE_BY_ABI: Record<string, string> = {
  "108": "18",
  "115": "20",
  "120": "21",
  "127": "22",
  "131": "23",
  "137": "24",
  "141": "25",
};

/** kb's own folder, where `npm rebuild` must run. */
const KB_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/**
 * better-sqlite3 is a native module: built for one Node ABI, it fails to load under another (after
 * a Node upgrade, or when a host runs kb with a different Node than the one that installed it).
 * That error is turned into one that says which Node built it, which runs now, and the fix.
 */
export function nativeModuleError(error: unknown): KbError | null {
  const message = error instanceof Error ? error.message : String(error);
  const m = /NODE_MODULE_VERSION (\d+)\. This version of Node\.js requires\s+NODE_MODULE_VERSION (\d+)/.exec(
    message,
  );
  if (!m) return null;
  const built = NODE_BY_ABI[m[1]!] ? `Node ${NODE_BY_ABI[m[1]!]}` : "another Node";
  return new KbError(
    "NATIVE_MODULE_MISMATCH",
    `better-sqlite3 was built for ${built} (NODE_MODULE_VERSION ${m[1]}) but kb is running on Node ${process.versions.node} (NODE_MODULE_VERSION ${m[2]}). ` +
      `Rebuild it for this Node: cd ${KB_DIR} && npm rebuild better-sqlite3`,
    { cause: error },
  );
}

/** Open an SQLite database, with a clear error when the native module was built for another Node. */
export function openSqlite(file: string, options?: Database.Options): Database.Database {
  try {
    return new Database(file, options);
  } catch (error) {
    throw nativeModuleError(error) ?? error;
  }
}

/** Load the native module without opening a file (for `kb doctor`): null when it loads. */
export function nativeModuleProblem(): KbError | null {
  try {
    new Database(":memory:").close();
    return null;
  } catch (error) {
    return (
      nativeModuleError(error) ??
      new KbError("NATIVE_MODULE", `better-sqlite3 does not load: ${String(error)}`)
    );
  }
}
