import { createHash } from "node:crypto";

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

export type DecodeResult =
  | { ok: true; text: string }
  | { ok: false; code: "BINARY" | "INVALID_UTF8"; message: string };

/**
 * Decode a brain file's bytes. The BOM is kept as U+FEFF so re-encoding gives the same bytes;
 * a NUL byte means binary; any invalid UTF-8 sequence is an error naming its byte offset.
 */
export function decodeText(bytes: Uint8Array): DecodeResult {
  const nul = bytes.indexOf(0);
  if (nul !== -1) return { ok: false, code: "BINARY", message: `binary content (NUL byte at offset ${nul})` };
  try {
    return { ok: true, text: decoder.decode(bytes) };
  } catch {
    return { ok: false, code: "INVALID_UTF8", message: `invalid UTF-8 at byte ${firstInvalidUtf8(bytes)}` };
  }
}

/** Byte offset of the first invalid sequence: the shortest prefix that fails to decode, minus one. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  const fails = (length: number) => {
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, length), { stream: true });
      return false;
    } catch {
      return true;
    }
  };
  let lo = 1;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (fails(mid)) hi = mid;
    else lo = mid + 1;
  }
  return fails(lo) ? lo - 1 : bytes.length - 1;
}

export function hashText(bytes: Uint8Array | string): string {
  return createHash("sha1").update(bytes).digest("hex");
}

/** The file's dominant line ending (CRLF when most line breaks are CRLF). */
export function detectEol(text: string): "\n" | "\r\n" {
  let lf = 0;
  let crlf = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
  }
  return crlf > lf ? "\r\n" : "\n";
}

/**
 * Offsets where each line starts from `from` on; line N spans [starts[N], starts[N+1]).
 * CRLF, LF and a lone CR all end a line, as in CommonMark.
 */
export function lineStarts(text: string, from = 0): number[] {
  const starts = [from];
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

/** The line's content without its EOL. */
export function lineContentEnd(text: string, start: number): number {
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return i;
  }
  return text.length;
}
