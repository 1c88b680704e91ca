import { createHash } from "node:crypto";
import { stemmer } from "stemmer";
import { STOPWORDS } from "../../src/search/query.js";

/**
 * A deterministic stand-in for an embedding model, for tests (no model runs on the test hosts).
 * A text's vector is a hashed bag of its stemmed words and their character trigrams, so texts
 * that share words or word parts land near each other, as with any embedding model. What a real
 * model adds — knowing that different words mean the same thing — is modelled by a small table
 * of concepts: every name in a group adds the same strong feature, so "voucher" and "gift card"
 * are close although they share no letters. This table is the test's, not kb's; kb knows none of it.
 * It is kept to one group on purpose: figures measured with this embedder on the bundled eval sets
 * should not be bought by a table written after reading which questions BM25 misses.
 */
export const TEST_CONCEPTS: string[][] = [["gift card", "voucher", "gift certificate"]];

export const TEST_DIMENSIONS = 1024;

export function testEmbedding(text: string, dims = TEST_DIMENSIONS): number[] {
  const v = new Array<number>(dims).fill(0);
  const add = (feature: string, weight: number) => {
    const h = createHash("sha1").update(feature).digest();
    v[h.readUInt32LE(0) % dims]! += (h[4]! & 1 ? 1 : -1) * weight;
  };
  const lower = text.toLowerCase();
  const words = lower.match(/[\p{L}\p{N}]+/gu) ?? [];
  for (const w of words.filter((w) => !STOPWORDS.has(w))) {
    add(`w:${stemmer(w)}`, 1);
    const padded = `#${w}#`;
    for (let i = 0; i + 3 <= padded.length; i++) add(`t:${padded.slice(i, i + 3)}`, 0.25);
  }
  TEST_CONCEPTS.forEach((names, i) => {
    if (names.some((n) => new RegExp(`\\b${n}`, "u").test(lower))) add(`c:${i}`, 3);
  });
  return v;
}
