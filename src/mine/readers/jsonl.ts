/** Complete JSON lines from `text` starting at byte `from`; a torn last line is left for next time. */
export interface JsonLine {
  value: unknown;
  /** Byte offset just past the line's newline. */
  end: number;
  lineNo: number;
}

export function readJsonLines(buf: Buffer, from: number): { lines: JsonLine[]; end: number; bad: number[] } {
  const lines: JsonLine[] = [];
  const bad: number[] = [];
  let at = from;
  let lineNo = 0;
  let end = from;
  while (at < buf.length) {
    const nl = buf.indexOf(0x0a, at);
    if (nl === -1) break; // an unfinished line: the writer is still appending it
    lineNo++;
    const raw = buf.subarray(at, nl).toString("utf8").trim();
    at = nl + 1;
    end = at;
    if (raw === "") continue;
    try {
      lines.push({ value: JSON.parse(raw), end, lineNo });
    } catch {
      bad.push(lineNo);
    }
  }
  return { lines, end, bad };
}

export function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

export function asString(value: unknown): string {
  return typeof value === "string" ? value : "";
}
