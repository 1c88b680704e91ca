import type { Db } from "../state/db.js";

/**
 * How many facts hold each query word, read from the index's vocabulary. Words are stemmed by the
 * same FTS5 tokenizer as the index (through a temporary one-row table), so "returns" finds the
 * count of "return". Words the brain does not hold come back with 0; a phrase counts as its rarest word.
 */
export function wordFrequencies(db: Db, words: string[]): { word: string; facts: number }[] {
  // A phrase ("card processor") is in at most as many facts as its rarest word.
  if (words.some((w) => /\s/.test(w))) {
    const single = [...new Set(words.flatMap((w) => w.split(/\s+/)))];
    const counts = new Map(wordFrequencies(db, single).map((f) => [f.word, f.facts]));
    return words.map((word) => ({
      word,
      facts: Math.min(...word.split(/\s+/).map((w) => counts.get(w) ?? 0)),
    }));
  }
  db.exec(`
    CREATE VIRTUAL TABLE IF NOT EXISTS temp.kb_query USING fts5 (q, tokenize = 'porter unicode61 remove_diacritics 2');
    CREATE VIRTUAL TABLE IF NOT EXISTS temp.kb_query_terms USING fts5vocab (temp, kb_query, 'instance');
    CREATE VIRTUAL TABLE IF NOT EXISTS temp.kb_index_terms USING fts5vocab (main, search_fts, 'row');
  `);
  db.prepare("INSERT INTO temp.kb_query (rowid, q) VALUES (1, ?)").run(words.join(" "));
  const stems = db.prepare("SELECT term, offset FROM temp.kb_query_terms ORDER BY offset").all() as {
    term: string;
    offset: number;
  }[];
  db.prepare("DELETE FROM temp.kb_query").run();
  const count = db.prepare("SELECT doc FROM temp.kb_index_terms WHERE term = ?").pluck();
  return words.map((word, i) => {
    const stem = stems.find((s) => s.offset === i)?.term;
    return { word, facts: stem ? ((count.get(stem) as number | undefined) ?? 0) : 0 };
  });
}
