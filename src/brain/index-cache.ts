import type { Db } from "../state/db.js";
import type { BrainDoc, Fact, ScanError } from "./types.js";

/** A cached parse of one file, keyed by (brain, path); reused while size and mtime are unchanged. */
export interface CacheEntry {
  size: number;
  mtimeMs: number;
  hash: string;
  entry: { doc: BrainDoc } | { error: ScanError };
}

interface Row {
  path: string;
  size: number;
  mtime_ms: number;
  hash: string;
  doc: string;
  facts: string | null;
}

/** Facts as positional arrays: a third of the JSON of objects, and decoded only when read. */
type PackedFact = [
  number,
  number,
  number,
  number,
  string,
  number,
  number,
  number,
  number,
  number,
  0 | 1,
  string,
];

function pack(f: Fact): PackedFact {
  return [
    f.index,
    f.line,
    f.start,
    f.end,
    f.text,
    f.depth,
    f.heading,
    f.itemStart,
    f.itemEnd,
    f.blockEnd,
    f.hasChildren ? 1 : 0,
    f.prefix,
  ];
}

function unpack(p: PackedFact): Fact {
  return {
    index: p[0],
    line: p[1],
    start: p[2],
    end: p[3],
    text: p[4],
    depth: p[5],
    heading: p[6],
    itemStart: p[7],
    itemEnd: p[8],
    blockEnd: p[9],
    hasChildren: p[10] === 1,
    prefix: p[11],
  };
}

/** Give a cached document a `facts` property that decodes the packed JSON the first time it is read. */
function lazyFacts(doc: Omit<BrainDoc, "facts">, packed: string): BrainDoc {
  let facts: Fact[] | undefined;
  return Object.defineProperty(doc, "facts", {
    enumerable: true,
    configurable: true,
    get: () => {
      facts ??= (JSON.parse(packed) as PackedFact[]).map(unpack);
      return facts;
    },
    set: (value: Fact[]) => {
      facts = value;
    },
  }) as BrainDoc;
}

export function loadCache(db: Db, brain: string): Map<string, CacheEntry> {
  const rows = db
    .prepare("SELECT path, size, mtime_ms, hash, doc, facts FROM file_index WHERE brain = ?")
    .all(brain) as Row[];
  const map = new Map<string, CacheEntry>();
  for (const row of rows) {
    const parsed = JSON.parse(row.doc) as { doc: Omit<BrainDoc, "facts"> } | { error: ScanError };
    const entry = "doc" in parsed ? { doc: lazyFacts(parsed.doc, row.facts ?? "[]") } : parsed;
    map.set(row.path, { size: row.size, mtimeMs: row.mtime_ms, hash: row.hash, entry });
  }
  return map;
}

export function saveCache(
  db: Db,
  brain: string,
  changed: { path: string; entry: CacheEntry }[],
  removed: string[],
): void {
  if (changed.length === 0 && removed.length === 0) return;
  const upsert = db.prepare(
    `INSERT INTO file_index (brain, path, size, mtime_ms, hash, fact_count, doc, facts) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (brain, path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms,
       hash = excluded.hash, fact_count = excluded.fact_count, doc = excluded.doc, facts = excluded.facts`,
  );
  const remove = db.prepare("DELETE FROM file_index WHERE brain = ? AND path = ?");
  db.transaction(() => {
    for (const { path, entry } of changed) {
      if ("doc" in entry.entry) {
        const { facts, ...rest } = entry.entry.doc;
        upsert.run(
          brain,
          path,
          entry.size,
          entry.mtimeMs,
          entry.hash,
          rest.factCount,
          JSON.stringify({ doc: rest }),
          JSON.stringify(facts.map(pack)),
        );
      } else {
        upsert.run(brain, path, entry.size, entry.mtimeMs, entry.hash, 0, JSON.stringify(entry.entry), null);
      }
    }
    for (const path of removed) remove.run(brain, path);
  })();
}
