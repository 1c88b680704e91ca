import { createHash } from "node:crypto";
import { basename } from "node:path";
import type { LogEntry } from "../types.js";

/**
 * Plain markdown/text logs and OpenClaw daily memory notes (`memory/YYYY-MM-DD*.md`): one entry
 * per paragraph or list block, keyed by a hash of the file name and the block's text so an
 * appended or rotated copy is not mined twice. Only text up to the last newline is read (the
 * writer may still be appending the last line).
 */
export function markdownEntries(buf: Buffer, from: number, file: string, fallbackDate: string) {
  const lastNl = buf.lastIndexOf(0x0a);
  const end = lastNl < from ? from : lastNl + 1;
  const date = dateFromName(file) ?? fallbackDate;
  const entries: LogEntry[] = [];
  let at = from;
  let blockStart = from;
  let block: string[] = [];
  // The 1-based number of the line being read, and of the block's first line (provenance: file + line).
  let line = countLines(buf, from);
  let blockLine = 0;
  const push = (text: string) => {
    if (block.length === 0) blockLine = line;
    block.push(text);
  };
  const flush = (upTo: number) => {
    const text = block.join("\n").trim();
    if (text) {
      const key = `md:${createHash("sha256")
        .update(`${basename(file)}\n${text}`)
        .digest("hex")
        .slice(0, 24)}`;
      const when = `${date}T12:00:00.000Z`;
      entries.push({
        key,
        at: when,
        role: "note",
        text,
        end: upTo,
        session: basename(file),
        entryId: `L${blockLine}`,
      });
    }
    block = [];
    blockStart = upTo;
  };
  while (at < end) {
    const nl = buf.indexOf(0x0a, at);
    const lineEnd = nl === -1 || nl >= end ? end : nl + 1;
    const text = buf
      .subarray(at, lineEnd)
      .toString("utf8")
      .replace(/\r?\n$/, "");
    line++;
    if (text.trim() === "") flush(lineEnd);
    else if (/^#{1,6}\s/.test(text) && block.length > 0) {
      flush(at);
      push(text);
    } else push(text);
    at = lineEnd;
  }
  if (block.length > 0 && blockStart < end) flush(end);
  return { entries, end };
}

/** The date in a file name like `2026-11-20.md` or `2026-11-20-1430.md`. */
export function dateFromName(file: string): string | null {
  const m = /(\d{4}-\d{2}-\d{2})/.exec(basename(file));
  return m ? m[1]! : null;
}

/** Newlines before byte `to`. */
function countLines(buf: Buffer, to: number): number {
  let n = 0;
  for (let i = buf.indexOf(0x0a); i !== -1 && i < to; i = buf.indexOf(0x0a, i + 1)) n++;
  return n;
}
