import type { Splice } from "../brain/edit.js";
import type { UndoSplice } from "./tombstones.js";

/**
 * Where one recorded undo splice goes in a file edited since the run. A rewrite (provenance merged
 * into a survivor) is reverted only where its rewritten text is found once; removed lines go back
 * after the line that preceded them, else before the line that followed them, each found once
 * and whole. Facts already in the file (put back by hand) are not added twice. Returns the splice,
 * `null` when there is nothing left to put back, or the reason it cannot be placed.
 */
export function placeSplice(
  text: string,
  s: UndoSplice,
  /** Every fact this splice puts back is in the file already. */
  alreadyThere: boolean,
): { splice: Splice | null } | { reason: string } {
  if (s.head === undefined || s.tail === undefined || s.current === undefined) {
    return { reason: "the run's record has no context to find its place by; restore it from git history" };
  }
  if (s.current !== "") {
    const at = uniqueAt(text, s.head + s.current + s.tail, s.head) ?? uniqueAt(text, s.current, "");
    if (at === null) return { reason: "the line it was merged into was edited since the run" };
    return { splice: { start: at, end: at + s.current.length, text: s.text } };
  }
  if (alreadyThere) return { splice: null };
  const at = insertionPoint(text, s);
  if (at === null)
    return { reason: "the lines around it were edited since the run, so its place is unknown" };
  return { splice: { start: at, end: at, text: fitLineBreaks(text, at, s.text) } };
}

function insertionPoint(text: string, s: UndoSplice): number | null {
  const head = meaningful(s.head!) ? s.head! : "";
  const tail = meaningful(s.tail!) ? s.tail! : "";
  if (head && tail) {
    const both = uniqueAt(text, head + tail, head);
    if (both !== null) return both;
  }
  if (head.endsWith("\n")) {
    const after = uniqueAt(text, head, "");
    if (after !== null) return after + head.length;
  }
  if (tail && isLineStart(s.head!)) {
    const before = uniqueAt(text, tail, "");
    if (before !== null) return before;
  }
  return null;
}

/**
 * The offset just past `lead` in the one place `needle` occurs starting on a line of its own,
 * else null (absent, or found more than once).
 */
function uniqueAt(text: string, needle: string, lead: string): number | null {
  if (needle === "") return null;
  let found: number | null = null;
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + 1)) {
    if (startsLine(needle, lead) && i > 0 && text[i - 1] !== "\n") continue;
    if (found !== null) return null;
    found = i;
  }
  return found === null ? null : found + lead.length;
}

/** Whether a match of `needle` must begin a line: the context was taken from a line start. */
function startsLine(needle: string, lead: string): boolean {
  return lead !== "" || needle.includes("\n");
}

function isLineStart(head: string): boolean {
  return head === "" || head.endsWith("\n");
}

function meaningful(context: string): boolean {
  return context.trim() !== "";
}

/** Restored lines keep lines apart: a line break before them at an unterminated end, after them mid-file. */
function fitLineBreaks(text: string, at: number, lines: string): string {
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  let out = lines;
  if (at > 0 && text[at - 1] !== "\n") out = eol + out;
  if (at < text.length && !out.endsWith("\n")) out += eol;
  return out;
}
