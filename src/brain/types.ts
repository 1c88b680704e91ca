/** Reason codes for brain files kb will not parse or write. */
export type ScanErrorCode =
  | "BAD_YAML"
  | "BAD_FRONTMATTER"
  | "INVALID_UTF8"
  | "BINARY"
  | "TOO_LARGE"
  | "UNREADABLE"
  | "SYMLINK_ESCAPE"
  | "SYMLINK"
  | "WORLD_WRITABLE";

export interface ScanError {
  path: string;
  code: ScanErrorCode;
  message: string;
  line?: number;
}

/** A heading, with its source line (1-based). */
export interface Heading {
  depth: number;
  text: string;
  line: number;
}

/**
 * A fact: one list item's own text (nested items are facts of their own).
 * Offsets are UTF-16 indices into the decoded file text (BOM included as U+FEFF).
 */
export interface Fact {
  /** Position among the document's facts, 0-based, in source order. */
  index: number;
  /** 1-based line of the fact's first line. */
  line: number;
  /** [start, end) of the fact text in the file (after the marker, before trailing whitespace/EOL). */
  start: number;
  end: number;
  /** The fact text: its lines joined with one space. */
  text: string;
  /** Nesting depth: 0 for a top-level item. */
  depth: number;
  /** Index into the document's headings of the nearest heading above, or -1. */
  heading: number;
  /** [start, end) of the item's own lines, including the final EOL; what removing the fact deletes. */
  itemStart: number;
  itemEnd: number;
  /** End of the item's block, nested items included (line-aligned), for inserting a sibling after it. */
  blockEnd: number;
  /** Whether nested items hang under this one. */
  hasChildren: boolean;
  /** The text before the fact on its first line, e.g. "  - " or "> 1. ". */
  prefix: string;
}

export interface Frontmatter {
  /** Offsets of the whole block, fences included; both 0 when the file has none. */
  start: number;
  end: number;
  /** Offsets of the YAML text between the fences. */
  yamlStart: number;
  yamlEnd: number;
  data: Record<string, unknown>;
}

/** A parsed brain file. */
export interface BrainDoc {
  /** POSIX path relative to the brain root. */
  path: string;
  size: number;
  mtimeMs: number;
  hash: string;
  eol: "\n" | "\r\n";
  bom: boolean;
  frontmatter: Frontmatter | null;
  headings: Heading[];
  /** Number of facts (known without decoding `facts` from the index cache). */
  factCount: number;
  facts: Fact[];
}
