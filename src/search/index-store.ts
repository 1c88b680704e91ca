import { createHash } from "node:crypto";
import { stripKbComments } from "../brain/provenance.js";
import type { BrainDoc } from "../brain/types.js";
import type { Db } from "../state/db.js";

/** What one sync of the search index did. */
export interface IndexSync {
  /** Files whose facts were (re)indexed: new or changed since the last sync. */
  indexed: number;
  /** Files dropped from the index: deleted, renamed, archived or now unreadable. */
  removed: number;
  facts: number;
  ms: number;
}

/**
 * Bring the search index of `brain` in step with a scan's documents. A file is reindexed only when
 * its content hash moved, so an unchanged brain costs one read of (path, hash) per file. `_archive/`
 * and dot-folders are never indexed, even when the scan included them.
 */
export function syncSearchIndex(db: Db, brain: string, docs: BrainDoc[]): IndexSync {
  const started = performance.now();
  const known = new Map<string, string>();
  for (const row of db.prepare("SELECT path, hash FROM search_docs WHERE brain = ?").all(brain) as {
    path: string;
    hash: string;
  }[])
    known.set(row.path, row.hash);
  const live = docs.filter((d) => isSearchable(d.path));
  const changed = live.filter((d) => known.get(d.path) !== d.hash);
  const seen = new Set(live.map((d) => d.path));
  const gone = [...known.keys()].filter((p) => !seen.has(p));
  let facts = 0;
  if (changed.length > 0 || gone.length > 0) {
    const ids = db.prepare("SELECT id FROM search_facts WHERE brain = ? AND path = ?").pluck();
    const dropFts = db.prepare("DELETE FROM search_fts WHERE rowid = ?");
    const dropFacts = db.prepare("DELETE FROM search_facts WHERE brain = ? AND path = ?");
    const dropDoc = db.prepare("DELETE FROM search_docs WHERE brain = ? AND path = ?");
    const putDoc = db.prepare(
      `INSERT INTO search_docs (brain, path, hash, meta) VALUES (?, ?, ?, ?)
       ON CONFLICT (brain, path) DO UPDATE SET hash = excluded.hash, meta = excluded.meta`,
    );
    const putFact = db.prepare(
      "INSERT INTO search_facts (brain, path, line, section, text, text_hash) VALUES (?, ?, ?, ?, ?, ?)",
    );
    const putFts = db.prepare("INSERT INTO search_fts (rowid, text, context) VALUES (?, ?, ?)");
    const drop = (path: string) => {
      for (const id of ids.all(brain, path) as number[]) dropFts.run(id);
      dropFacts.run(brain, path);
    };
    db.transaction(() => {
      for (const path of gone) {
        drop(path);
        dropDoc.run(brain, path);
      }
      for (const doc of changed) {
        if (known.has(doc.path)) drop(doc.path);
        const data = doc.frontmatter?.data ?? {};
        putDoc.run(brain, doc.path, doc.hash, JSON.stringify(data));
        const title = typeof data.title === "string" ? data.title : "";
        const pathWords = doc.path.replace(/\.md$/i, "").replace(/[/_-]+/g, " ");
        for (const fact of doc.facts) {
          const text = stripKbComments(fact.text);
          if (!text) continue;
          const section = fact.heading >= 0 ? (doc.headings[fact.heading]?.text ?? "") : "";
          const id = putFact.run(brain, doc.path, fact.line, section, text, textHash(text)).lastInsertRowid;
          putFts.run(id, text, `${title} ${section} ${pathWords}`);
          facts++;
        }
      }
    })();
  }
  return {
    indexed: changed.length,
    removed: gone.length,
    facts,
    ms: Math.round((performance.now() - started) * 10) / 10,
  };
}

/** Agents read the live tree only: never `_archive/`, never a dot-folder or dot-file. */
export function isSearchable(path: string): boolean {
  return !path.split("/").some((part, i) => part.startsWith(".") || (i === 0 && part === "_archive"));
}

/** What a fact's embedding is keyed by: the SHA-256 of its text, so a moved or re-filed fact keeps its vector. */
export function textHash(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
