/**
 * A cheap token estimate, good enough for budgets and chunking without shipping a tokenizer:
 * about four characters per token for Latin text, one per character for CJK and other scripts.
 */
export function estimateTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) < 0x80) ascii++;
    else other++;
  }
  return Math.ceil(ascii / 4) + Math.ceil(other * 0.8);
}
