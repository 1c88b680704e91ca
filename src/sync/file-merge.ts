import { posix } from "node:path";
import { decodeText, hashText } from "../brain/text.js";
import { mergeBodies } from "./body-merge.js";
import type { MergeConflict } from "./conflict-types.js";
import { mergeFrontmatter } from "./frontmatter-merge.js";
import { parseSide, type Unit } from "./units.js";

export interface FileMergeResult {
  /** The merged bytes for the path. */
  merged: Uint8Array;
  conflicts: MergeConflict[];
  /** Conflict copies to write next to the file (brain-relative path → bytes). */
  copies: { path: string; bytes: Uint8Array }[];
}

/**
 * Merge one file given its base, ours and theirs. Markdown merges per fact and per frontmatter
 * field; anything else, or markdown kb cannot parse, keeps one version in place and the other as a
 * conflict copy beside it. Pure and symmetric in ours/theirs, so every host gets the same bytes.
 */
export function mergeFile(
  path: string,
  base: Uint8Array,
  ours: Uint8Array,
  theirs: Uint8Array,
): FileMergeResult {
  const clean = (merged: Uint8Array): FileMergeResult => ({ merged, conflicts: [], copies: [] });
  if (equalBytes(ours, theirs) || equalBytes(ours, base)) return clean(theirs);
  if (equalBytes(theirs, base)) return clean(ours);
  if (!path.toLowerCase().endsWith(".md")) {
    return keepBoth(
      path,
      ours,
      theirs,
      "non-markdown",
      "both hosts changed this file; kb merges only markdown",
    );
  }
  const texts = [base, ours, theirs].map((bytes) => decodeText(bytes));
  const [o, a, b] = texts;
  if (!a!.ok || !b!.ok) return keepBoth(path, ours, theirs, "unparseable", "one version is not UTF-8 text");
  const sides = [o!.ok ? o!.text : "", a!.text, b!.text].map(splitText);
  const parsed = sides.map((s) => parseSide(path, s.lf));
  const [po, pa, pb] = parsed;
  if (!pa!.ok || !pb!.ok) {
    const reason = !pa!.ok ? pa!.reason : (pb as { reason: string }).reason;
    return keepBoth(
      path,
      ours,
      theirs,
      "unparseable",
      `one version cannot be parsed: ${reason}`,
      !pa!.ok,
      !pb!.ok,
    );
  }
  const baseSide = po!.ok ? po!.side : { yaml: null, body: [] as Unit[] };
  const fm = mergeFrontmatter(baseSide.yaml, pa!.side.yaml, pb!.side.yaml);
  const body = mergeBodies(baseSide.body, pa!.side.body, pb!.side.body);
  const [so, sa, sb] = sides;
  const pick = <T>(x: T, y: T, z: T) => (y === x ? z : y);
  const bom = pick(so!.bom, sa!.bom, sb!.bom);
  const crlf = pick(so!.crlf, sa!.crlf, sb!.crlf);
  const finalNewline = pick(so!.finalNewline, sa!.finalNewline, sb!.finalNewline);
  const notes = fm.notes.map((n) => `${n}\n`).join("");
  let text =
    (fm.yaml === null ? "" : `---\n${fm.yaml}---\n`) + notes + body.units.map((u) => u.text).join("");
  if (!finalNewline && text.endsWith("\n")) text = text.slice(0, -1);
  if (crlf) text = text.replace(/\n/g, "\r\n");
  if (bom) text = `\uFEFF${text}`;
  const conflicts = [...fm.conflicts, ...body.conflicts].map((c) => ({ path, ...c }));
  return { merged: new TextEncoder().encode(text), conflicts, copies: [] };
}

interface SplitText {
  lf: string;
  bom: boolean;
  crlf: boolean;
  finalNewline: boolean;
}

/** LF text without BOM, with a final newline, and what was normalised away. */
function splitText(text: string): SplitText {
  const bom = text.charCodeAt(0) === 0xfeff;
  const noBom = bom ? text.slice(1) : text;
  const crlf = /\r\n/.test(noBom) && !/(^|[^\r])\n/.test(noBom);
  let lf = noBom.replace(/\r\n/g, "\n");
  const finalNewline = lf === "" || lf.endsWith("\n");
  if (!finalNewline) lf += "\n";
  return { lf, bom, crlf, finalNewline };
}

/**
 * Keep one version at the path and the other as `<name>.kb-conflict-<hash>.<ext>` beside it. An
 * unparseable version is the one moved aside; otherwise the smaller bytes stay in place.
 */
function keepBoth(
  path: string,
  ours: Uint8Array,
  theirs: Uint8Array,
  kind: MergeConflict["kind"],
  detail: string,
  oursBad = false,
  theirsBad = false,
): FileMergeResult {
  let keepOurs = compareBytes(ours, theirs) <= 0;
  if (oursBad !== theirsBad) keepOurs = theirsBad;
  const [kept, aside] = keepOurs ? [ours, theirs] : [theirs, ours];
  const copy = conflictCopyPath(path, aside);
  return {
    merged: kept,
    conflicts: [{ path, kind, severity: "conflict", detail, copy }],
    copies: [{ path: copy, bytes: aside }],
  };
}

export function conflictCopyPath(path: string, bytes: Uint8Array): string {
  const dir = posix.dirname(path);
  const name = posix.basename(path);
  const dot = name.lastIndexOf(".");
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ""];
  const file = `${stem}.kb-conflict-${hashText(bytes).slice(0, 8)}${ext}`;
  return dir === "." ? file : `${dir}/${file}`;
}

function equalBytes(x: Uint8Array, y: Uint8Array): boolean {
  return x.length === y.length && Buffer.compare(x, y) === 0;
}

function compareBytes(x: Uint8Array, y: Uint8Array): number {
  return Buffer.compare(x, y);
}
