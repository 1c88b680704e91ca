import type { ConfigProblem } from "./issues.js";

export interface KeyFix {
  line: number;
  from: string;
  to: string;
}

/**
 * Rename misspelt keys to their unambiguous suggestion, touching only the key on its own line.
 * Never re-serialises the file: comments, order and formatting stay as they are.
 */
export function fixMisspeltKeys(text: string, problems: ConfigProblem[]): { text: string; fixes: KeyFix[] } {
  const lines = text.split(/(?<=\n)/);
  const fixes: KeyFix[] = [];
  for (const p of problems) {
    if (!p.suggestion || !p.line) continue;
    const key = p.key.split(".").at(-1)!;
    const index = p.line - 1;
    const line = lines[index];
    if (line === undefined) continue;
    const pattern = new RegExp(`^(\\s*(?:-\\s+)?)${escapeRegExp(key)}(\\s*:)`);
    if (!pattern.test(line)) continue;
    lines[index] = line.replace(pattern, `$1${p.suggestion}$2`);
    fixes.push({ line: p.line, from: key, to: p.suggestion });
  }
  return { text: lines.join(""), fixes };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
