import { extensionOf } from "./containment.js";
import { contentTokens } from "./normalise.js";

/**
 * Candidate pairs for containment (see containment.ts), which a shingle index misses: a short
 * fact and a long one that holds all of it share few shingles. Two paths, each near-linear in
 * the facts: facts that extend another before or after its text (sorted keys), and facts whose
 * content words contain all of another's (an index of each fact's rarest content word).
 */
export type PairVisitor = (i: number, j: number) => void;

/** Longer facts visited per shorter fact at most, so a very common opening stays linear. */
const EXTENSIONS_PER_FACT = 16;
/** Facts that start with a shorter fact but not at a word boundary, skipped at most per fact. */
const SCAN_LIMIT = 64;

/**
 * Visit every pair where one key (normalised fact) extends another after or before its text, at a
 * cost near-linear in the facts: keys sorted as written put every fact that starts with a key
 * right after it, and keys sorted written backwards do the same for facts that end with it.
 */
export function forEachExtensionPair(keys: string[], visit: PairVisitor): void {
  scanSorted(keys, keys, visit);
  scanSorted(
    keys.map((k) => k.split("").reverse().join("")),
    keys,
    visit,
  );
}

function scanSorted(sortKeys: string[], keys: string[], visit: PairVisitor): void {
  const order = Array.from({ length: sortKeys.length }, (_, i) => i);
  order.sort((a, b) => (sortKeys[a]! < sortKeys[b]! ? -1 : sortKeys[a]! > sortKeys[b]! ? 1 : a - b));
  for (let x = 0; x < order.length; x++) {
    const small = sortKeys[order[x]!]!;
    let found = 0;
    for (let y = x + 1; y < order.length && y <= x + SCAN_LIMIT && found < EXTENSIONS_PER_FACT; y++) {
      if (!sortKeys[order[y]!]!.startsWith(small)) break;
      if (extensionOf(keys[order[x]!]!, keys[order[y]!]!) === null) continue;
      found++;
      visit(order[x]!, order[y]!);
    }
  }
}

/** A rarest word shared by more facts than this is too common to index: such facts rely on the shingle index. */
const ANCHOR_LIMIT = 64;

/**
 * Visit pairs where the content words of one fact (at least three) are all among the other's
 * (more) words. Each fact is indexed under its rarest content word, which any fact containing it
 * must share, so the work is bounded by `ANCHOR_LIMIT` facts per indexed fact.
 */
export function forEachContainedPair(keys: string[], visit: PairVisitor): void {
  const ids = new Map<string, number>();
  const offsets = new Uint32Array(keys.length + 1);
  const words: number[] = [];
  keys.forEach((key, f) => {
    const own: number[] = [];
    for (const t of contentTokens(key)) {
      const id = ids.get(t) ?? ids.size;
      if (id === ids.size) ids.set(t, id);
      own.push(id);
    }
    words.push(...own.sort((x, y) => x - y));
    offsets[f + 1] = words.length;
  });
  const df = new Uint32Array(ids.size);
  for (const id of words) df[id]!++;
  const anchors = new Map<number, number[]>();
  for (let f = 0; f < keys.length; f++) {
    if (offsets[f + 1]! - offsets[f]! < 3) continue;
    let anchor = words[offsets[f]!]!;
    for (let k = offsets[f]! + 1; k < offsets[f + 1]!; k++)
      if (df[words[k]!]! < df[anchor]!) anchor = words[k]!;
    if (df[anchor]! > ANCHOR_LIMIT || df[anchor]! < 2) continue;
    const group = anchors.get(anchor);
    if (group) group.push(f);
    else anchors.set(anchor, [f]);
  }
  const postings = new Map<number, number[]>();
  for (let g = 0; g < keys.length; g++) {
    for (let k = offsets[g]!; k < offsets[g + 1]!; k++) {
      if (!anchors.has(words[k]!)) continue;
      const list = postings.get(words[k]!);
      if (list) list.push(g);
      else postings.set(words[k]!, [g]);
    }
  }
  const size = (f: number) => offsets[f + 1]! - offsets[f]!;
  for (const [anchor, small] of anchors) {
    for (const f of small) {
      for (const g of postings.get(anchor)!) {
        if (size(g) > size(f) && containsWords(words, offsets, g, f)) visit(f, g);
      }
    }
  }
}

/** Whether fact `g`'s sorted word ids contain all of fact `f`'s. */
function containsWords(words: number[], offsets: Uint32Array, g: number, f: number): boolean {
  let k = offsets[g]!;
  for (let i = offsets[f]!; i < offsets[f + 1]!; i++) {
    while (k < offsets[g + 1]! && words[k]! < words[i]!) k++;
    if (k === offsets[g + 1]! || words[k] !== words[i]) return false;
    k++;
  }
  return true;
}
