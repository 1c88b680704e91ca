import { stripKbComments } from "../brain/provenance.js";

/**
 * Identifiers as the subject of a fact. Catalog-shaped facts ("SKU 1001 costs €50", "Order 55123
 * was refunded on 2026-11-02") differ only in an identifier and a value; a different identifier is
 * a different subject, so such pairs are neither duplicates nor contradictions.
 *
 * An identifier is a code after a key word ("SKU 1001", "order #55123", "invoice no. 88", "store
 * 12"), a code mixing capitals and digits ("INV-2026-001", "PO12345", "A-1234"), a "#1234", or a
 * date that opens the fact ("2026-11-02: …", "On 2026-11-02 …"). It is the fact's subject when it
 * starts in the first half of the fact (or its first four words): "The manager of store 12 is
 * employee E-1042" has the subject "store 12", and "E-1042" is a value. A weekday next to another
 * number qualifies what the number applies to ("opens at 10:00 on Mondays"), so it is a subject
 * too: Monday's and Tuesday's hours are different facts.
 */
const KEY_WORDS = new Set(
  (
    "sku skus article item product style model part ean upc gtin isbn order invoice receipt ticket case " +
    "issue incident request ref reference booking reservation shipment parcel package tracking batch lot " +
    "serial account customer client member employee staff supplier vendor contract policy claim po store " +
    "shop branch warehouse route room gate job project id"
  ).split(" "),
);
const FILLERS = new Set(["no", "no.", "nr", "nr.", "number", "num", "id", "#", "code"]);
const CODE = /^#?[\p{L}\p{N}]*\p{N}[\p{L}\p{N}]*(?:[-_/.][\p{L}\p{N}]+)*$/u;
const MIXED_CODE = /^(?=.*\p{Lu})(?=.*\p{N})[\p{Lu}\p{N}]+(?:[-_/][\p{Lu}\p{N}]+)*$/u;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const WEEKDAY = /^(monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekday|weekend)s?$/;
const WORD = /#?[\p{L}\p{N}]+(?:[-_/.][\p{L}\p{N}]+)*/gu;

/** The fact's subject identifiers, lower-cased ("sku 1001", "inv-2026-001", "date 2026-11-02"), in order. */
export function subjectIdentifiers(raw: string): string[] {
  // Every kind of identifier holds a digit (a weekday only counts beside a number).
  if (!/\p{N}/u.test(raw)) return [];
  const text = stripKbComments(raw).normalize("NFKC");
  const words = text.match(WORD) ?? [];
  const cutoff = Math.max(4, Math.ceil(words.length / 2));
  const out: string[] = [];
  const add = (id: string) => {
    if (!out.includes(id)) out.push(id);
  };
  for (let i = 0; i < Math.min(words.length, cutoff); i++) {
    const w = words[i]!;
    const lower = w.toLowerCase();
    if (DATE.test(w)) {
      if (i <= 1) add(`date ${w}`);
      continue;
    }
    if (KEY_WORDS.has(lower)) {
      let j = i + 1;
      while (j < words.length && FILLERS.has(words[j]!.toLowerCase())) j++;
      const code = words[j];
      if (code && CODE.test(code) && !DATE.test(code)) {
        add(`${lower.replace(/s$/, "")} ${code.replace(/^#/, "").toLowerCase()}`);
        i = j;
      }
      continue;
    }
    if (w.startsWith("#") && /\p{N}/u.test(w)) add(w.toLowerCase());
    else if (w.length >= 3 && MIXED_CODE.test(w)) add(w.toLowerCase());
  }
  if (/day|weekend/i.test(text) && words.some((w) => /\p{N}/u.test(w))) {
    for (const w of words) {
      const day = WEEKDAY.exec(w.toLowerCase());
      if (day) add(`day ${day[1]}`);
    }
  }
  return out;
}

/** Whether two facts are about different subjects: both name subject identifiers, and none in common. */
export function differentSubjects(a: string[], b: string[]): string | null {
  if (a.length === 0 || b.length === 0) return null;
  for (const id of a) if (b.includes(id)) return null;
  return `${a[0]} / ${b[0]}`;
}

/**
 * Whether both facts name one identifier (a code, not a weekday): the same subject, so another
 * value is a contradiction. A shared weekday only qualifies ("Oslo … on Mondays" / "Bergen … on Mondays").
 */
export function sharedIdentifier(a: string[], b: string[]): boolean {
  return a.some((id) => !id.startsWith("day ") && b.includes(id));
}

/** The identifier that blocks a fact with the others about the same subject; null without one. */
export function subjectKey(ids: string[]): string | null {
  return ids.find((id) => !id.startsWith("day ")) ?? null;
}

/** A 32-bit hash of a fact's first subject identifier for the blocking index; 0 when it has none. */
export function subjectSignature(ids: string[]): number {
  const first = ids[0];
  if (first === undefined) return 0;
  let h = 0x9747b28c;
  for (let i = 0; i < first.length; i++) h = Math.imul(h ^ first.charCodeAt(i), 0x01000193);
  return h >>> 0 || 1;
}
