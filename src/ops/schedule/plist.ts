/**
 * A minimal XML property-list writer for launchd jobs: strings, integers, booleans, arrays and
 * dictionaries, which is all a job definition uses. Written here because the only need is this
 * fixed subset plus a leading comment (the `plist` package has no comments and is a parser too).
 */
export type PlistValue = string | number | boolean | PlistValue[] | { [key: string]: PlistValue };

const HEAD = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
];

/** A complete plist document; `comments` become XML comments before the root element. */
export function buildPlist(value: { [key: string]: PlistValue }, comments: string[] = []): string {
  const lines = [
    ...HEAD,
    ...comments.map((c) => `<!-- ${c.replaceAll("--", "- -")} -->`),
    '<plist version="1.0">',
  ];
  write(value, 0, lines);
  lines.push("</plist>");
  return `${lines.join("\n")}\n`;
}

function write(value: PlistValue, depth: number, out: string[]): void {
  const pad = "\t".repeat(depth);
  if (typeof value === "string") out.push(`${pad}<string>${escapeXml(value)}</string>`);
  else if (typeof value === "boolean") out.push(`${pad}<${value}/>`);
  else if (typeof value === "number") {
    if (!Number.isInteger(value)) throw new Error(`plist integers only, got ${value}`);
    out.push(`${pad}<integer>${value}</integer>`);
  } else if (Array.isArray(value)) {
    out.push(`${pad}<array>`);
    for (const item of value) write(item, depth + 1, out);
    out.push(`${pad}</array>`);
  } else {
    out.push(`${pad}<dict>`);
    for (const [key, item] of Object.entries(value)) {
      out.push(`${pad}\t<key>${escapeXml(key)}</key>`);
      write(item, depth + 1, out);
    }
    out.push(`${pad}</dict>`);
  }
}

function escapeXml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}
