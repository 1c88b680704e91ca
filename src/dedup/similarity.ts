import { normaliseFact } from "./normalise.js";

/**
 * Character-bigram Dice coefficient (the measure string-similarity used), computed on the
 * normalised text over precomputed sorted bigram codes so one comparison is a linear merge with no
 * allocation. Character bigrams work the same for scripts without spaces (CJK).
 */
export function bigramCodes(normalised: string): Uint32Array {
  const n = normalised.length - 1;
  if (n < 1) return new Uint32Array(normalised.length === 1 ? [normalised.charCodeAt(0)] : []);
  const codes = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    codes[i] = ((normalised.charCodeAt(i) << 16) | normalised.charCodeAt(i + 1)) >>> 0;
  }
  return codes.sort();
}

/** How many bigram codes `bigramCodes` gives for a normalised text, without building them. */
export function bigramCount(normalised: string): number {
  return normalised.length > 1 ? normalised.length - 1 : normalised.length;
}

/** Dice over two sorted bigram multisets: 2·|A∩B| / (|A|+|B|). */
export function diceOfCodes(a: Uint32Array, b: Uint32Array): number {
  const total = a.length + b.length;
  if (total === 0) return 1;
  let i = 0;
  let j = 0;
  let common = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      common++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return (2 * common) / total;
}

/** The most Dice can be for two multisets of these sizes; lets callers skip hopeless pairs. */
export function diceUpperBound(sizeA: number, sizeB: number): number {
  const total = sizeA + sizeB;
  return total === 0 ? 1 : (2 * Math.min(sizeA, sizeB)) / total;
}

/** 0..1: the similarity score dedup uses, on the normalised texts of two facts. */
export function similarity(a: string, b: string): number {
  return diceOfCodes(bigramCodes(normaliseFact(a)), bigramCodes(normaliseFact(b)));
}
