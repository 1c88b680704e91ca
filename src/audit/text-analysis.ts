import { readFileSync } from "node:fs";
import { join } from "node:path";
import { findFrontmatter } from "../brain/frontmatter.js";
import { decodeText } from "../brain/text.js";
import type { BrainDoc } from "../brain/types.js";
import type { Db } from "../state/db.js";
import { proseLines } from "./body-lines.js";
import { findLinks, type LinkRef } from "./links.js";
import { findTemporal, type TemporalHit } from "./temporal.js";

/**
 * What the audit needs from a file's text beyond the scan's parse: the line of each frontmatter
 * key, temporal wording and links. Independent of "now", so it is cached per content hash in
 * `audit_text_cache`; an unchanged brain is audited without reading a single file.
 */
export interface TextAnalysis {
  keyLines: Record<string, number>;
  temporal: TemporalHit[];
  links: LinkRef[];
}

export function analyseText(text: string): TextAnalysis {
  const keyLines: Record<string, number> = {};
  const fm = findFrontmatter(text);
  let bodyStart = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let firstLine = 1;
  if (fm && fm !== "unclosed") {
    const yaml = text.slice(fm.yamlStart, fm.yamlEnd).split(/\r\n|\r|\n/);
    yaml.forEach((line, i) => {
      const key = /^([^\s#:][^:]*?)\s*:(\s|$)/.exec(line);
      if (key && !(key[1]! in keyLines)) keyLines[key[1]!.replace(/^["']|["']$/g, "")] = i + 2;
    });
    bodyStart = fm.end;
    firstLine = (text.slice(0, fm.end).match(/\r\n|\r|\n/g)?.length ?? 0) + 1;
  }
  const lines = proseLines(text, bodyStart, firstLine);
  return { keyLines, temporal: findTemporal(lines), links: findLinks(lines) };
}

export interface TextAnalysisResult {
  byPath: Map<string, TextAnalysis>;
  read: number;
  cached: number;
}

/** The analysis of every doc: from the cache when its hash is unchanged, else read and analysed. */
export function analyseDocs(brain: string, docs: BrainDoc[], db: Db | null): TextAnalysisResult {
  const byPath = new Map<string, TextAnalysis>();
  const cache = new Map<string, { hash: string; analysis: string }>();
  if (db) {
    const rows = db
      .prepare("SELECT path, hash, analysis FROM audit_text_cache WHERE brain = ?")
      .all(brain) as {
      path: string;
      hash: string;
      analysis: string;
    }[];
    for (const row of rows) cache.set(row.path, row);
  }
  const fresh: [string, string, string][] = [];
  let read = 0;
  for (const doc of docs) {
    const hit = cache.get(doc.path);
    if (hit && hit.hash === doc.hash) {
      byPath.set(doc.path, JSON.parse(hit.analysis) as TextAnalysis);
      continue;
    }
    const decoded = decodeText(readFileSync(join(brain, doc.path)));
    const analysis = analyseText(decoded.ok ? decoded.text : "");
    read++;
    byPath.set(doc.path, analysis);
    fresh.push([doc.path, doc.hash, JSON.stringify(analysis)]);
  }
  if (db && fresh.length > 0) {
    const upsert = db.prepare(
      `INSERT INTO audit_text_cache (brain, path, hash, analysis) VALUES (?, ?, ?, ?)
       ON CONFLICT (brain, path) DO UPDATE SET hash = excluded.hash, analysis = excluded.analysis`,
    );
    const seen = new Set(docs.map((d) => d.path));
    const remove = db.prepare("DELETE FROM audit_text_cache WHERE brain = ? AND path = ?");
    db.transaction(() => {
      for (const [path, hash, analysis] of fresh) upsert.run(brain, path, hash, analysis);
      for (const path of cache.keys()) if (!seen.has(path)) remove.run(brain, path);
    })();
  }
  return { byPath, read, cached: docs.length - read };
}
