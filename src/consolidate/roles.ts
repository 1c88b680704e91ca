/**
 * Who holds a role, however the fact words it: "Ingrid Dahl is the CEO.", "Ingrid Dahl is the
 * company's CEO.", "The CEO is Ingrid Dahl.", "New starters meet Lars Berg, the CEO, in their first
 * week." Only roles one person holds at a time count (chief officers, chairs, "Head of X",
 * "X Director"); a team has many managers and founders. Pure.
 */
export interface RoleClaim {
  /** "ceo", "head of customer service", "creative director". */
  role: string;
  /** "ingrid dahl" */
  person: string;
  /** Where the person's name stands in the text. */
  start: number;
  end: number;
}

const CHIEF =
  "CEO|CFO|CTO|COO|CMO|CIO|CPO|CHRO|CISO|President|Chair|Chairman|Chairwoman|Chairperson|Treasurer";
const CAP = "\\p{Lu}[\\p{L}&’'-]*";
const OF = `of (?:the )?${CAP}(?:(?: | & | and )${CAP})*`;
const ROLE = `(?:(?:${CAP} )*(?:${CHIEF})|(?:Head|Director) ${OF}|(?:${CAP} )+Director)`;
const PERSON = `(\\p{Lu}[\\p{Ll}’'-]+(?: \\p{Lu}[\\p{Ll}’'-]+){1,2})`;
const BEFORE = "(?:(?:[Tt]he|[Oo]ur|[Ii]ts|[Tt]heir) )?(?:\\p{L}+['’]s )?";

const PATTERNS: { re: RegExp; person: 1 | 2; role: 1 | 2 }[] = [
  // "Ingrid Dahl is the CEO", "Ingrid Dahl, the CEO,"
  {
    re: new RegExp(`${PERSON}(?:,| is| was| becomes| remains| as)+ ${BEFORE}(${ROLE})\\b`, "gu"),
    person: 1,
    role: 2,
  },
  // "The CEO is Ingrid Dahl", "the CEO, Ingrid Dahl,"
  { re: new RegExp(`\\b${BEFORE}(${ROLE})(?:,| is| was)+ ${PERSON}\\b`, "gu"), person: 2, role: 1 },
];

export function roleClaims(text: string): RoleClaim[] {
  const out: RoleClaim[] = [];
  for (const { re, person, role } of PATTERNS) {
    for (const m of text.matchAll(re)) {
      const name = m[person]!;
      const start = m.index! + m[0].indexOf(name);
      const key = roleKey(m[role]!);
      if (!key || out.some((c) => c.role === key && c.start === start)) continue;
      out.push({ role: key, person: name.toLowerCase(), start, end: start + name.length });
    }
  }
  return out;
}

function roleKey(phrase: string): string | null {
  const key = phrase
    .toLowerCase()
    .replace(/^(the|our|its|their) /, "")
    .replace(/\s+/g, " ")
    .trim();
  // "Co-founder", "Store Manager": not roles one person holds.
  if (/\b(manager|founder|co-founder|lead|owner)\b/.test(key)) return null;
  return key;
}
