/**
 * Candidate pairs for near-duplicate verification.
 *
 * Small scopes compare every pair (exact, and cheap with sorted bigram codes and a length
 * prefilter). Larger ones use MinHash-LSH on character 3-gram shingles, hand-rolled because no
 * maintained JavaScript MinHash-LSH library exists: 64 hash functions in 16 bands of 4 rows,
 * which catches pairs of shingle-Jaccard 0.6 with probability ~0.89 and 0.75 with ~0.99 (dedup's
 * lowest band, Dice 0.7, sits around there), while the cost grows linearly with the facts.
 * Band keys are bucketed by sorting packed (key, index) numbers rather than hash maps, so memory
 * stays at a few bytes per fact per band.
 */
export const ALL_PAIRS_LIMIT = 500;
const BANDS = 16;
const ROWS = 4;
const PERMS = BANDS * ROWS;
/** A bucket bigger than this only pairs neighbours this far apart (bounds the cost of junk buckets). */
const BUCKET_WINDOW = 64;

export type PairVisitor = (i: number, j: number) => void;

/**
 * Visit candidate pairs of `keys` (normalised facts). With the index, `salts` (one 32-bit value per
 * fact, e.g. a hash of the names it mentions) is mixed into every band key, so only facts with the
 * same salt can meet.
 */
export function forEachCandidatePair(
  keys: string[],
  visit: PairVisitor,
  options: { useLsh?: boolean; salts?: (i: number) => number } = {},
): void {
  if (options.useLsh ?? keys.length > ALL_PAIRS_LIMIT) lshPairs(keys, visit, options.salts ?? (() => 0));
  else for (let i = 0; i < keys.length; i++) for (let j = i + 1; j < keys.length; j++) visit(i, j);
}

const SEEDS = (() => {
  const a = new Int32Array(PERMS);
  const b = new Int32Array(PERMS);
  let x = 0x9e3779b9;
  for (let i = 0; i < PERMS; i++) {
    x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) ^ 0x297a2d39;
    a[i] = x | 1;
    x = Math.imul(x ^ (x >>> 12), 0x297a2d39) ^ 0x2c1b3c6d;
    b[i] = x;
  }
  return { a, b };
})();

function lshPairs(keys: string[], visit: PairVisitor, salts: (i: number) => number): void {
  const n = keys.length;
  const bandKeys = new Uint32Array(n * BANDS);
  const signature = new Int32Array(PERMS);
  for (let f = 0; f < n; f++) {
    signature.fill(0x7fffffff);
    const text = ` ${keys[f]} `;
    for (let i = 0; i + 3 <= text.length; i++) {
      const h = shingleHash(text, i);
      for (let p = 0; p < PERMS; p++) {
        const v = mix(Math.imul(h, SEEDS.a[p]!) + SEEDS.b[p]!);
        if (v < signature[p]!) signature[p] = v;
      }
    }
    const salt = salts(f);
    for (let band = 0; band < BANDS; band++) {
      let k = Math.imul(0x811c9dc5 ^ band, 0x01000193) ^ salt;
      for (let r = 0; r < ROWS; r++) k = Math.imul(k ^ signature[band * ROWS + r]!, 0x01000193);
      bandKeys[f * BANDS + band] = k >>> 0;
    }
  }
  const indexBits = Math.max(1, Math.ceil(Math.log2(n + 1)));
  const keyScale = 2 ** indexBits;
  const keyMask = 2 ** Math.min(32, 52 - indexBits);
  const packed = new Float64Array(n);
  for (let band = 0; band < BANDS; band++) {
    for (let f = 0; f < n; f++) packed[f] = (bandKeys[f * BANDS + band]! % keyMask) * keyScale + f;
    packed.sort();
    let start = 0;
    while (start < n) {
      const key = Math.floor(packed[start]! / keyScale);
      let end = start + 1;
      while (end < n && Math.floor(packed[end]! / keyScale) === key) end++;
      for (let x = start; x < end; x++) {
        const limit = Math.min(end, x + 1 + BUCKET_WINDOW);
        for (let y = x + 1; y < limit; y++) visit(packed[x]! % keyScale, packed[y]! % keyScale);
      }
      start = end;
    }
  }
}

function shingleHash(text: string, at: number): number {
  let h = 0x811c9dc5;
  for (let i = at; i < at + 3; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}

/** A 32-bit finaliser (murmur3 fmix32) so the multiply-add permutations spread well. */
function mix(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) & 0x7fffffff;
}
