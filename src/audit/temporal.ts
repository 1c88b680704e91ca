import type { ProseLine } from "./body-lines.js";

/**
 * Relative-time wording that goes stale ("our latest collection", "currently", "this season")
 * and dated phrases that expire ("until 2026-10-31", "Q3 2025"). Extraction is independent of
 * "now" so it can be cached; `isPastPhrase` decides at audit time whether a dated phrase is over.
 */
export interface TemporalHit {
  line: number;
  /** The word or phrase as written. */
  match: string;
  /** The sentence around it (for reports and entity checks). */
  sentence: string;
  /** For dated phrases: the last day the phrase is true (YYYY-MM-DD). */
  until?: string;
}

const WORDS = new RegExp(
  [
    "latest",
    "newest",
    "new(?!\\s+(?:York|Zealand|Balance|Jersey|Delhi)\\b)",
    "currently",
    "right now",
    "now",
    "today",
    "recently",
    "upcoming",
    "coming soon",
    "at the moment",
    "this (?:season|quarter|year|month|week)",
    "next (?:season|quarter|year|month|week)",
  ]
    .map((w) => `\\b${w}\\b`)
    .join("|"),
  "gi",
);

const MONTHS = "january february march april may june july august september october november december"
  .split(" ")
  .map((m) => m.slice(0, 3));
const MONTH =
  "(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
const UNTIL_ISO =
  /\b(?:until|till|through|thru|ends?|ending|expires?|valid to|runs to|up to)\s+(\d{4}-\d{2}-\d{2})\b/gi;
const UNTIL_DMY = new RegExp(
  `\\b(?:until|till|through|thru|ends?|ending|expires?|valid to|runs to)\\s+(\\d{1,2})\\s+${MONTH}\\s+(\\d{4})\\b`,
  "gi",
);
const UNTIL_MDY = new RegExp(
  `\\b(?:until|till|through|thru|ends?|ending|expires?|valid to|runs to)\\s+${MONTH}\\s+(\\d{1,2}),?\\s+(\\d{4})\\b`,
  "gi",
);
const QUARTER = /\b(?:Q([1-4])\s*[/-]?\s*(\d{4})|(\d{4})\s*[/-]?\s*Q([1-4]))\b/g;
const SEASON =
  /\b(?:until|till|through|thru|ends?|ending|expires?|valid to|runs to|during|for)\s+(?:the\s+)?(spring|summer|autumn|fall|winter)\s+(\d{4})\b/gi;

export function findTemporal(lines: ProseLine[]): TemporalHit[] {
  const hits: TemporalHit[] = [];
  for (const pl of lines) {
    if (pl.ignoreTemporal) continue;
    const text = stripLinkTargets(pl.text);
    const add = (index: number, match: string, until?: string) =>
      hits.push({ line: pl.line, match, sentence: sentenceAt(text, index), ...(until ? { until } : {}) });
    for (const m of text.matchAll(WORDS)) add(m.index, m[0]);
    for (const m of text.matchAll(UNTIL_ISO)) add(m.index, m[0], m[1]);
    for (const m of text.matchAll(UNTIL_DMY)) add(m.index, m[0], day(m[3]!, monthOf(m[2]!), m[1]!));
    for (const m of text.matchAll(UNTIL_MDY)) add(m.index, m[0], day(m[3]!, monthOf(m[1]!), m[2]!));
    for (const m of text.matchAll(QUARTER)) {
      const q = Number(m[1] ?? m[4]);
      const year = Number(m[2] ?? m[3]);
      add(m.index, m[0], lastDayOfMonth(year, q * 3));
    }
    for (const m of text.matchAll(SEASON)) {
      const season = m[1]!.toLowerCase();
      const year = Number(m[2]);
      const end = season === "spring" ? 5 : season === "summer" ? 8 : season === "winter" ? 14 : 11;
      add(m.index, m[0], end > 12 ? lastDayOfMonth(year + 1, 2) : lastDayOfMonth(year, end));
    }
  }
  return hits;
}

/** A dated phrase is flagged once its last day is before today. */
export function isPastPhrase(hit: TemporalHit, today: string): boolean {
  return hit.until !== undefined && hit.until < today;
}

function stripLinkTargets(text: string): string {
  return text
    .replace(/\]\([^)]*\)/g, (m) => " ".repeat(m.length))
    .replace(/https?:\/\/\S+/g, (m) => " ".repeat(m.length));
}

/** The sentence around `index`: from the previous sentence end to the next one, list marker dropped. */
export function sentenceAt(text: string, index: number): string {
  const before = text.slice(0, index);
  const startMatch = /.*[.!?;]\s+/s.exec(before);
  const start = startMatch ? startMatch[0].length : 0;
  const rest = text.slice(index);
  const endMatch = /[.!?;](\s|$)/.exec(rest);
  const end = endMatch ? index + endMatch.index + 1 : text.length;
  return text
    .slice(start, end)
    .replace(/^\s*(?:>\s*)*(?:[-+*]|\d+[.)])\s+(?:\[[ xX]\]\s+)?/, "")
    .replace(/\s+/g, " ")
    .trim();
}

function monthOf(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
}

function day(year: string, month: number, dayOfMonth: string): string {
  return `${year}-${String(month).padStart(2, "0")}-${dayOfMonth.padStart(2, "0")}`;
}

function lastDayOfMonth(year: number, month: number): string {
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}
