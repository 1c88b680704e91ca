/**
 * The prose lines of a markdown body, as the audit reads them: fenced code skipped, inline code
 * blanked, HTML comments blanked, and each line marked when `<!-- kb-ignore temporal -->`
 * suppresses temporal-word checks for its block.
 *
 * A block is a run of non-blank lines. The comment on a line of its own suppresses the rest of
 * its block (so put it right above a paragraph or list); at the end of a line it suppresses that
 * line only.
 */
export interface ProseLine {
  /** 1-based line in the file. */
  line: number;
  /** The line with code spans and comments replaced by spaces (offsets kept). */
  text: string;
  /** The line as written. */
  raw: string;
  ignoreTemporal: boolean;
}

const IGNORE_TEMPORAL = /<!--\s*kb-ignore\s+temporal\s*-->/i;

export function proseLines(text: string, bodyStart: number, firstLine: number): ProseLine[] {
  const lines = text.slice(bodyStart).split(/\r\n|\r|\n/);
  const out: ProseLine[] = [];
  let fence: string | null = null;
  let inComment = false;
  let suppressBlock = false;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const trimmed = raw.trim();
    const fenceMatch = /^\s{0,3}(`{3,}|~{3,})/.exec(raw);
    if (fence) {
      if (fenceMatch && fenceMatch[1]![0] === fence[0] && fenceMatch[1]!.length >= fence.length) fence = null;
      continue;
    }
    if (fenceMatch) {
      fence = fenceMatch[1]!;
      continue;
    }
    if (trimmed === "") {
      suppressBlock = false;
      continue;
    }
    let ignoreLine = false;
    if (IGNORE_TEMPORAL.test(raw)) {
      if (/^<!--[^>]*-->$/.test(trimmed)) suppressBlock = true;
      else ignoreLine = true;
    }
    const blanked = blankComments(blankCode(raw), inComment);
    inComment = blanked.inComment;
    out.push({
      line: firstLine + i,
      text: blanked.text,
      raw,
      ignoreTemporal: suppressBlock || ignoreLine,
    });
  }
  return out;
}

function blankCode(line: string): string {
  return line.replace(/(`+)(.+?)\1/g, (m) => " ".repeat(m.length));
}

function blankComments(line: string, inComment: boolean): { text: string; inComment: boolean } {
  let out = "";
  let at = 0;
  let open = inComment;
  while (at < line.length) {
    if (open) {
      const end = line.indexOf("-->", at);
      if (end === -1) return { text: out + " ".repeat(line.length - at), inComment: true };
      out += " ".repeat(end + 3 - at);
      at = end + 3;
      open = false;
    } else {
      const start = line.indexOf("<!--", at);
      if (start === -1) return { text: out + line.slice(at), inComment: false };
      out += line.slice(at, start);
      at = start;
      open = true;
    }
  }
  return { text: out, inComment: open };
}
