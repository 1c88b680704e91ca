import { contentTokens } from "./normalise.js";

/**
 * Candidate pairs for containment (see containment.ts), which a shingle index misses: a short
 * fact and a long one that holds all of it share few shingles. Two paths, each near-linear in
 * the facts: facts that extend another before, after or inside its text (a lookup of each fact's
 * shorter readings), and facts whose content words contain all of another's (an index of each
 * fact's rarest content word).
 */
export type PairVisitor = (i: number, j: number) => void;

/** Shorter facts visited per longer fact at most. */
const EXTENSIONS_PER_FACT = 16;

/**
 * Visit every pair where one key (normalised fact, all distinct) extends another after its text,
 * before it after a comma, or inside it set off by commas or parentheses: each key's shorter
 * readings (cut at a word boundary, or with a set-off part left out) are looked up among the keys,
 * a cost linear in the facts' length.
 */
export function forEachExtensionPair(keys: string[], visit: PairVisitor): void {
  const table = hashTable(keys);
  for (let g = 0; g < keys.length; g++) {
    const large = keys[g]!;
    let found = 0;
    const meet = (h: number, length: number, text: string | null) => {
      table.forEach(h, (f) => {
        if (f === g || found >= EXTENSIONS_PER_FACT || keys[f]!.length !== length) return;
        if (text === null ? !large.startsWith(keys[f]!) : keys[f] !== text) return;
        found++;
        visit(f, g);
      });
    };
    const meetText = (text: string) => meet(textHash(text), text.length, text);
    let h = HASH_SEED;
    for (let b = 0; b < large.length; b++) {
      const c = large[b];
      if (b > 0 && (c === " " || c === "," || c === ";" || c === "(")) meet(h, b, null);
      if (c === ",") meetText(large.slice(b + 1).trimStart());
      if (c === "," || c === "(") {
        const close = large.slice(b + 1).search(c === "," ? /,/ : /\)/);
        if (close !== -1)
          meetText(`${large.slice(0, b).trimEnd()} ${large.slice(b + 2 + close).trimStart()}`);
      }
      h = Math.imul(h ^ large.charCodeAt(b), 0x01000193);
    }
  }
}

const HASH_SEED = 0x811c9dc5;

/** FNV-1a of a text, the same value `forEachExtensionPair` rolls over a prefix. */
function textHash(text: string): number {
  let h = HASH_SEED;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}

/** The keys by hash in one sorted array of packed (hash, index) numbers: 8 bytes a key. */
function hashTable(keys: string[]): { forEach: (h: number, each: (f: number) => void) => void } {
  const scale = 2 ** Math.max(1, Math.ceil(Math.log2(keys.length + 1)));
  const packed = new Float64Array(keys.length);
  keys.forEach((key, i) => {
    packed[i] = (textHash(key) >>> 0) * scale + i;
  });
  packed.sort();
  // A bit per 2^10 hash values: most prefixes are no key and skip the search.
  const bits = new Uint32Array(1 << 17);
  for (const key of keys) {
    const h = textHash(key) >>> 10;
    bits[h >>> 5]! |= 1 << (h & 31);
  }
  return {
    forEach(h, each) {
      const top = (h >>> 0) >>> 10;
      if ((bits[top >>> 5]! & (1 << (top & 31))) === 0) return;
      const lowest = (h >>> 0) * scale;
      let lo = 0;
      let hi = packed.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (packed[mid]! < lowest) lo = mid + 1;
        else hi = mid;
      }
      for (let x = lo; x < packed.length && packed[x]! < lowest + scale; x++) each(packed[x]! - lowest);
    },
  };
}

/** A rarest word shared by more facts than this is too common to index: such facts rely on the shingle index. */
const ANCHOR_LIMIT = 64;

/**
 * Visit pairs where the content words of one fact (at least three) are all among the other's
 * (more) words. Each fact is indexed under its rarest content word, which any fact containing it
 * must share, so the work is bounded by `ANCHOR_LIMIT` facts per indexed fact. Words are 32-bit
 * hashes and every index a sorted typed array, a few bytes per word of the scope.
 */
export function forEachContainedPair(keys: string[], visit: PairVisitor): void {
  const n = keys.length;
  const offsets = new Uint32Array(n + 1);
  let words = new Int32Array(Math.max(16, n * 8));
  let used = 0;
  for (let f = 0; f < n; f++) {
    const own = [...contentTokens(keys[f]!)].map(textHash).sort((x, y) => x - y);
    if (used + own.length > words.length) {
      const grown = new Int32Array(Math.max(words.length * 2, used + own.length));
      grown.set(words);
      words = grown;
    }
    for (const h of own) if (used === offsets[f] || words[used - 1] !== h) words[used++] = h;
    offsets[f + 1] = used;
  }
  words = words.slice(0, used);
  // Each distinct word hash with the number of facts that have it.
  const sorted = words.slice().sort();
  const distinct = new Int32Array(sorted.length);
  const counts = new Uint32Array(sorted.length);
  let kinds = 0;
  for (const h of sorted) {
    if (kinds > 0 && distinct[kinds - 1] === h) counts[kinds - 1]!++;
    else {
      distinct[kinds] = h;
      counts[kinds++] = 1;
    }
  }
  const known = distinct.subarray(0, kinds);
  const df = (h: number) => counts[lowerBound(known, h)]!;
  const scale = 2 ** Math.max(1, Math.ceil(Math.log2(n + 1)));
  // (anchor, fact) for facts worth indexing, then (word, fact) for every word that is an anchor.
  const anchored: number[] = [];
  for (let f = 0; f < n; f++) {
    if (offsets[f + 1]! - offsets[f]! < 3) continue;
    let anchor = words[offsets[f]!]!;
    let least = df(anchor);
    for (let k = offsets[f]! + 1; k < offsets[f + 1]!; k++) {
      const d = df(words[k]!);
      if (d < least) [anchor, least] = [words[k]!, d];
    }
    if (least >= 2 && least <= ANCHOR_LIMIT) anchored.push((anchor >>> 0) * scale + f);
  }
  const small = Float64Array.from(anchored).sort();
  const anchors = Int32Array.from(small, (x) => Math.floor(x / scale) | 0).sort();
  const postings: number[] = [];
  for (let g = 0; g < n; g++) {
    for (let k = offsets[g]!; k < offsets[g + 1]!; k++) {
      const h = words[k]!;
      if (upperBound(anchors, h) > lowerBound(anchors, h)) postings.push((h >>> 0) * scale + g);
    }
  }
  const large = Float64Array.from(postings).sort();
  const size = (f: number) => offsets[f + 1]! - offsets[f]!;
  let from = 0;
  for (const x of small) {
    const word = Math.floor(x / scale);
    const f = x - word * scale;
    while (from < large.length && Math.floor(large[from]! / scale) < word) from++;
    for (let y = from; y < large.length && Math.floor(large[y]! / scale) === word; y++) {
      const g = large[y]! - word * scale;
      if (size(g) > size(f) && containsWords(words, offsets, g, f)) visit(f, g);
    }
  }
}

function lowerBound(sorted: Int32Array, h: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < h) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(sorted: Int32Array, h: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= h) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether fact `g`'s sorted word hashes contain all of fact `f`'s. */
function containsWords(words: Int32Array, offsets: Uint32Array, g: number, f: number): boolean {
  let k = offsets[g]!;
  for (let i = offsets[f]!; i < offsets[f + 1]!; i++) {
    while (k < offsets[g + 1]! && words[k]! < words[i]!) k++;
    if (k === offsets[g + 1]! || words[k] !== words[i]) return false;
    k++;
  }
  return true;
}
