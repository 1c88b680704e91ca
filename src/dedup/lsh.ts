import { bigramCodes, diceOfCodes } from "./similarity.js";

/**
 * Candidate pairs for near-duplicate verification.
 *
 * Small scopes compare every pair (exact, and cheap with sorted bigram codes and a length
 * prefilter). Larger ones use MinHash-LSH on character 3-gram shingles, hand-rolled because no
 * maintained JavaScript MinHash-LSH library exists: a 64-value signature by one-permutation
 * hashing (each shingle hashed once into one of 64 bins, empty bins densified) in 16 bands of 4
 * rows, which catches pairs of shingle-Jaccard 0.6 with probability ~0.89 and 0.75 with ~0.99
 * (dedup's lowest band, Dice 0.7, sits around there), while the cost grows linearly with the facts.
 * Band keys are bucketed by sorting packed (key, index) numbers rather than hash maps, so memory
 * stays at a few bytes per fact per band. Templated text (oversized buckets, identical templates)
 * is bounded by a per-fact budget of candidate pairs, so the cost stays linear.
 */
export const ALL_PAIRS_LIMIT = 500;
const BANDS = 16;
const ROWS = 4;
const PERMS = BANDS * ROWS;
/** Groups of one blocking key pair neighbours at most this far apart. */
const BUCKET_WINDOW = 64;
/**
 * A bucket bigger than this is templated text (many facts sharing most of their shingles): its
 * facts are sorted by text and each meets only its nearest few. Facts that differ only in a number
 * meet through `forEachSameKeyPair` on a masked key instead.
 */
const OVERSIZED = 32;
const OVERSIZED_WINDOW = 4;
/**
 * Candidate pairs per fact over all bands, beyond which a pair is skipped when both of its facts
 * are spent: the total stays under this many pairs per fact, whatever the text looks like. Near
 * duplicates share most bands and meet in the first ones.
 */
const VISIT_BUDGET = 96;
/**
 * Above this share of hopeless candidate pairs (see `hopelessShare`), character shingles do not tell
 * the facts apart — low-variety text, where every fact shares most shingles with every other — and
 * the index keys on word pairs instead.
 */
const LOW_VARIETY_SHARE = 0.5;

export type PairVisitor = (i: number, j: number) => void;

/**
 * Visit candidate pairs of `keys` (normalised facts). With the index, `salts` (one 32-bit value per
 * fact, e.g. a hash of the names it mentions) is mixed into every band key, so only facts with the
 * same salt can meet.
 */
export function forEachCandidatePair(
  keys: string[],
  visit: PairVisitor,
  options: { useLsh?: boolean; salts?: (i: number) => number; minScore?: number } = {},
): void {
  if (options.useLsh ?? keys.length > ALL_PAIRS_LIMIT) {
    lshPairs(keys, visit, options.salts ?? (() => 0), options.minScore ?? 0.6);
  } else for (let i = 0; i < keys.length; i++) for (let j = i + 1; j < keys.length; j++) visit(i, j);
}

/**
 * Pairs of facts with the same blocking key (e.g. the subject identifier "sku 10007"): every pair
 * in a group up to `BUCKET_WINDOW` apart, so the facts about one subject always meet whatever the
 * wording, at a cost linear in the facts.
 */
export function forEachSameKeyPair(keys: (string | null)[], visit: PairVisitor): void {
  const groups = new Map<string, number[]>();
  keys.forEach((key, i) => {
    if (key === null) return;
    const group = groups.get(key);
    if (group) group.push(i);
    else groups.set(key, [i]);
  });
  for (const group of groups.values()) {
    for (let x = 0; x < group.length; x++) {
      const limit = Math.min(group.length, x + 1 + BUCKET_WINDOW);
      for (let y = x + 1; y < limit; y++) visit(group[x]!, group[y]!);
    }
  }
}

const EMPTY = 0x7fffffff;
/** Filled bins hold values below this; densified ones at or above it. */
const EMPTY_FLOOR = 0x2000000;

function lshPairs(keys: string[], visit: PairVisitor, salts: (i: number) => number, minScore: number): void {
  const n = keys.length;
  const bandKeys = new Uint32Array(n * BANDS);
  const indexBits = Math.max(1, Math.ceil(Math.log2(n + 1)));
  const keyScale = 2 ** indexBits;
  const keyMask = 2 ** Math.min(32, 52 - indexBits);
  const packed = new Float64Array(n);
  // Whether character shingles tell these facts apart, judged on evenly spaced facts of a large scope.
  const step = Math.max(1, Math.floor(n / SAMPLE_FACTS));
  const sample = step === 1 ? keys : keys.filter((_, f) => f % step === 0);
  const sampleKeys = sample === keys ? bandKeys : new Uint32Array(sample.length * BANDS);
  charBandKeys(sample, (f) => salts(f * step), sampleKeys);
  const sampleBits = Math.max(1, Math.ceil(Math.log2(sample.length + 1)));
  const share = hopelessShare(
    sample,
    sampleKeys,
    sample === keys ? packed : new Float64Array(sample.length),
    2 ** sampleBits,
    2 ** Math.min(32, 52 - sampleBits),
    minScore,
  );
  if (share > LOW_VARIETY_SHARE) wordBandKeys(keys, salts, bandKeys);
  else if (sample !== keys) charBandKeys(keys, salts, bandKeys);
  const visits = new Uint16Array(n);
  const budgeted: PairVisitor = (i, j) => {
    if (visits[i]! >= VISIT_BUDGET && visits[j]! >= VISIT_BUDGET) return;
    visits[i]!++;
    visits[j]!++;
    visit(i, j);
  };
  for (let band = 0; band < BANDS; band++) {
    for (let f = 0; f < n; f++) packed[f] = (bandKeys[f * BANDS + band]! % keyMask) * keyScale + f;
    packed.sort();
    let start = 0;
    while (start < n) {
      const key = Math.floor(packed[start]! / keyScale);
      let end = start + 1;
      while (end < n && Math.floor(packed[end]! / keyScale) === key) end++;
      if (end - start > OVERSIZED) visitOversized(packed, start, end, keyScale, keys, budgeted);
      else {
        for (let x = start; x < end; x++) {
          for (let y = x + 1; y < end; y++) budgeted(packed[x]! % keyScale, packed[y]! % keyScale);
        }
      }
      start = end;
    }
  }
}

/** One-permutation MinHash band keys on character 3-grams (see the top of this file). */
function charBandKeys(keys: string[], salts: (i: number) => number, bandKeys: Uint32Array): void {
  const signature = new Int32Array(PERMS);
  for (let f = 0; f < keys.length; f++) {
    signature.fill(EMPTY);
    const text = ` ${keys[f]} `;
    for (let i = 0; i + 3 <= text.length; i++) {
      const h = mix(shingleHash(text, i));
      const bin = h >>> 25;
      const v = h & 0x1ffffff;
      if (v < signature[bin]!) signature[bin] = v;
    }
    densify(signature);
    writeBandKeys(signature, salts(f), bandKeys, f);
  }
}

function writeBandKeys(signature: Int32Array, salt: number, bandKeys: Uint32Array, f: number): void {
  for (let band = 0; band < BANDS; band++) {
    let k = Math.imul(0x811c9dc5 ^ band, 0x01000193) ^ salt;
    for (let r = 0; r < ROWS; r++) k = Math.imul(k ^ signature[band * ROWS + r]!, 0x01000193);
    bandKeys[f * BANDS + band] = k >>> 0;
  }
}

/** Pairs of the first band sampled to tell whether the character index tells facts apart. */
const SAMPLE = 512;
/** Facts of a large scope whose first band is looked at for that. */
const SAMPLE_FACTS = 16_384;

/**
 * The share of sampled candidate pairs (neighbours in the first band's buckets) whose Dice is
 * below `minScore`: pairs the verification will reject, so the index is not telling facts apart.
 */
function hopelessShare(
  keys: string[],
  bandKeys: Uint32Array,
  packed: Float64Array,
  keyScale: number,
  keyMask: number,
  minScore: number,
): number {
  const n = packed.length;
  for (let f = 0; f < n; f++) packed[f] = (bandKeys[f * BANDS]! % keyMask) * keyScale + f;
  packed.sort();
  const bucketOf = (x: number) => Math.floor(packed[x]! / keyScale);
  let neighbours = 0;
  for (let x = 1; x < n; x++) if (bucketOf(x) === bucketOf(x - 1)) neighbours++;
  if (neighbours === 0) return 0;
  const stride = Math.max(1, Math.floor(neighbours / SAMPLE));
  let seen = 0;
  let sampled = 0;
  let hopeless = 0;
  for (let x = 1; x < n && sampled < SAMPLE; x++) {
    if (bucketOf(x) !== bucketOf(x - 1) || seen++ % stride !== 0) continue;
    sampled++;
    const a = keys[packed[x - 1]! % keyScale]!;
    const b = keys[packed[x]! % keyScale]!;
    if (diceOfCodes(bigramCodes(a), bigramCodes(b)) < minScore) hopeless++;
  }
  return hopeless / sampled;
}

/**
 * Band keys from word pairs instead of character shingles, for low-variety text (a small
 * vocabulary, so every fact shares most character shingles with every other): a classic MinHash
 * (one hash per row, each the minimum over the fact's word pairs), which stays exact for the few
 * shingles a fact has, where one-permutation hashing would densify from one or two bins.
 */
function wordBandKeys(keys: string[], salts: (i: number) => number, bandKeys: Uint32Array): void {
  const signature = new Int32Array(PERMS);
  const shingles: number[] = [];
  for (let f = 0; f < keys.length; f++) {
    const words = keys[f]!.split(" ");
    shingles.length = 0;
    for (let i = 0; i + 1 < words.length || i === 0; i++) {
      shingles.push(mix(wordHash(words[i] ?? "", words[i + 1] ?? "")));
    }
    signature.fill(EMPTY);
    for (const h of shingles) {
      // Row p hashes the (already mixed) shingle by an odd multiplier, a permutation of the
      // 32-bit values; the minimum is taken over them as signed integers.
      for (let p = 0; p < PERMS; p++) {
        const v = Math.imul(h, ROW_MULTIPLIERS[p]!);
        if (v < signature[p]!) signature[p] = v;
      }
    }
    writeBandKeys(signature, salts(f), bandKeys, f);
  }
}

const ROW_MULTIPLIERS = Int32Array.from({ length: PERMS }, (_, p) => Math.imul(p + 1, 0x9e3779b1) | 1);

function wordHash(a: string, b: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < a.length; i++) h = Math.imul(h ^ a.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ 0x20, 0x01000193);
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b.charCodeAt(i), 0x01000193);
  return h;
}

function visitOversized(
  packed: Float64Array,
  start: number,
  end: number,
  keyScale: number,
  keys: string[],
  visit: PairVisitor,
): void {
  const members: number[] = [];
  for (let x = start; x < end; x++) members.push(packed[x]! % keyScale);
  members.sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : a - b));
  for (let x = 0; x < members.length; x++) {
    const limit = Math.min(members.length, x + 1 + OVERSIZED_WINDOW);
    for (let y = x + 1; y < limit; y++) visit(members[x]!, members[y]!);
  }
}

/**
 * One-permutation hashing leaves bins without a shingle in short facts; each takes the value of
 * the next filled bin (circularly) plus an offset for the distance, so two facts still agree on a
 * bin with probability about their Jaccard similarity (rotation densification).
 */
function densify(signature: Int32Array): void {
  for (let p = 0; p < PERMS; p++) {
    if (signature[p] !== EMPTY) continue;
    for (let d = 1; d < PERMS; d++) {
      const v = signature[(p + d) % PERMS]!;
      if (v !== EMPTY && v < EMPTY_FLOOR) {
        signature[p] = EMPTY_FLOOR | (Math.imul(v ^ Math.imul(d, 0x27d4eb2f), 0x9e3779b1) >>> 8);
        break;
      }
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
