/**
 * Longest-common-subsequence alignment of two key sequences, for the 3-way merge. Common prefix
 * and suffix are trimmed first (a sync usually touches a few lines of a file), the middle is
 * aligned by dynamic programming. Returns, for each index of `a`, the matched index in `b` or -1.
 * Ties are broken the same way every time, so the merge is deterministic.
 */
export function alignKeys(a: readonly string[], b: readonly string[]): number[] {
  const match = new Array<number>(a.length).fill(-1);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) {
    match[head] = head;
    head++;
  }
  let tailA = a.length;
  let tailB = b.length;
  while (tailA > head && tailB > head && a[tailA - 1] === b[tailB - 1]) {
    tailA--;
    tailB--;
    match[tailA] = tailB;
  }
  const n = tailA - head;
  const m = tailB - head;
  if (n === 0 || m === 0) return match;
  // A middle this large means the file was rewritten; leave it unaligned (one big change).
  if (n * m > 16_000_000) return match;
  const width = m + 1;
  const table = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i * width + j] =
        a[head + i] === b[head + j]
          ? table[(i + 1) * width + j + 1]! + 1
          : Math.max(table[(i + 1) * width + j]!, table[i * width + j + 1]!);
    }
  }
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[head + i] === b[head + j]) {
      match[head + i] = head + j;
      i++;
      j++;
    } else if (table[(i + 1) * width + j]! >= table[i * width + j + 1]!) i++;
    else j++;
  }
  return match;
}
