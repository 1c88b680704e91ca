/**
 * The values a fact states, typed and located: what can change while the fact stays about the same
 * thing. A change of value ("Free EU shipping above €50." → "… above €60.") keeps every other word;
 * finding the values is how kb tells the attribute from its value. Pure.
 */
export type ValueType =
  | "date"
  | "time"
  | "money"
  | "percent"
  | "duration"
  | "weekday"
  | "number"
  | "code"
  | "name";

export interface Value {
  type: ValueType;
  /** Comparable form: "€60", "30%", "2027-01-01", "tuesday+friday", "ingrid dahl". */
  norm: string;
  /** [start, end) in the text the value was read from. */
  start: number;
  end: number;
}

const MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];
const MONTH =
  "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
const WEEKDAY = "(?:mon|tues|wednes|thurs|fri|satur|sun)days?";
const NUM = "\\d+(?:[.,]\\d+)*";
const CURRENCY_CODE = "(?:NOK|SEK|DKK|EUR|USD|GBP|CHF|JPY|kr|euros?|dollars?)";
const UNIT = "(?:business |working |calendar )?(?:minutes?|hours?|days?|weeks?|months?|years?)";
const NUMBER_WORDS: Record<string, string> = {
  one: "1",
  two: "2",
  three: "3",
  four: "4",
  five: "5",
  six: "6",
  seven: "7",
  eight: "8",
  nine: "9",
  ten: "10",
  twelve: "12",
  fourteen: "14",
  thirty: "30",
};
const NUMBER_WORD = `(?:${Object.keys(NUMBER_WORDS).join("|")})`;

const MONTH_HINT = /jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec/i;
/**
 * Value patterns, most specific first; a later pattern never claims text an earlier one took.
 * Each has a cheap hint: the pattern runs only on text the hint matches.
 */
const PATTERNS: [ValueType, RegExp, RegExp][] = [
  ["date", /\b\d{4}-\d{2}-\d{2}\b/giu, /\d{4}-\d/],
  ["date", new RegExp(`\\b\\d{1,2}(?:st|nd|rd|th)? ${MONTH}\\.?(?: \\d{4})?\\b`, "giu"), MONTH_HINT],
  ["date", new RegExp(`\\b${MONTH}\\.? \\d{1,2}(?:st|nd|rd|th)?(?:,? \\d{4})?\\b`, "giu"), MONTH_HINT],
  [
    "time",
    /\b\d{1,2}[:.]\d{2}(?:\s?[ap]\.?m\.?)?\b|\b\d{1,2}\s?[ap]\.?m\.?(?=\W|$)/giu,
    /\d[:.]\d|\d\s?[ap]\.?m/i,
  ],
  [
    "money",
    new RegExp(
      `[€$£¥]\\s?${NUM}(?:\\s?[kKmM]\\b)?|\\b${CURRENCY_CODE}\\s?${NUM}|\\b${NUM}\\s?(?:${CURRENCY_CODE}\\b|€)`,
      "gu",
    ),
    /[€$£¥]|NOK|SEK|DKK|EUR|USD|GBP|CHF|JPY|kr|euro|dollar/,
  ],
  ["percent", new RegExp(`\\b${NUM}\\s?(?:%|percent\\b|per cent\\b)`, "giu"), /%|per ?cent/i],
  [
    "duration",
    new RegExp(`\\b(?:${NUM}|${NUMBER_WORD})[ -]${UNIT}\\b`, "giu"),
    /minute|hour|day|week|month|year/i,
  ],
  ["weekday", new RegExp(`\\b${WEEKDAY}(?:(?:,\\s*|\\s+(?:and|or|&)\\s+)${WEEKDAY})*\\b`, "giu"), /day/i],
  // How often: in the same slot as the weekdays ("pays out daily" / "pays out on Tuesdays and Fridays").
  [
    "weekday",
    /\b(?:daily|weekly|fortnightly|monthly|quarterly|yearly|annually|hourly|every (?:business |working )?(?:day|week|month|year)|every (?:\d+|second|other) (?:days|weeks|months))\b/giu,
    /daily|weekly|fortnightly|monthly|quarterly|yearly|annually|hourly|every/i,
  ],
  [
    "code",
    /\b(?=[\p{L}\d-]*\p{L})(?=[\p{L}\d-]*\d)[\p{Lu}\d][\p{L}\d]*(?:-[\p{L}\d]+)*\b/gu,
    /\p{L}\d|\d\p{L}/u,
  ],
  ["number", new RegExp(`\\b${NUM}\\b`, "gu"), /\d/],
];

/** Every typed value in `text` (not names: see statement.ts), in order of position. */
export function typedValues(text: string): Value[] {
  const taken: [number, number][] = [];
  const out: Value[] = [];
  const free = (s: number, e: number) => taken.every(([a, b]) => e <= a || s >= b);
  for (const [type, re, hint] of PATTERNS) {
    if (!hint.test(text)) continue;
    for (const m of text.matchAll(re)) {
      const start = m.index!;
      const end = start + m[0].length;
      if (!free(start, end)) continue;
      taken.push([start, end]);
      out.push({ type, norm: normalise(type, m[0]), start, end });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

function normalise(type: ValueType, raw: string): string {
  const lower = raw.toLowerCase().replace(/\s+/g, " ").trim();
  switch (type) {
    case "date":
      return isoDate(lower) ?? lower;
    case "weekday": {
      const days = [...new Set(lower.match(/(mon|tues|wednes|thurs|fri|satur|sun)day/g) ?? [])];
      return days.length > 0 ? days.sort().join("+") : lower;
    }
    case "money":
      return lower
        .replace(/\s/g, "")
        .replace(/euros?|eur/, "€")
        .replace(/(\d)[.,](\d{3})\b/g, "$1$2");
    case "percent":
      return `${lower.match(/\d+(?:[.,]\d+)?/)![0].replace(",", ".")}%`;
    case "duration": {
      const n = lower.match(/^\S+/)![0];
      const unit = lower.match(/(minute|hour|day|week|month|year)/)![1];
      const kind = /business|working/.test(lower) ? "business " : "";
      return `${NUMBER_WORDS[n] ?? n} ${kind}${unit}`;
    }
    default:
      return lower;
  }
}

/** "2026-12-01", "1 December 2026", "December 1" → ISO (a date without a year → "MM-DD"). */
export function isoDate(text: string): string | null {
  const iso = /(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (iso) return iso[0];
  const month = MONTHS.findIndex((m) => new RegExp(`\\b${m.slice(0, 3)}`, "i").test(text));
  const day = /\b(\d{1,2})(?:st|nd|rd|th)?\b(?!\d)/.exec(text.replace(/\d{4}/, ""));
  if (month === -1 || !day) return null;
  const year = /\b(\d{4})\b/.exec(text)?.[1];
  const mmdd = `${String(month + 1).padStart(2, "0")}-${day[1]!.padStart(2, "0")}`;
  return year ? `${year}-${mmdd}` : mmdd;
}
