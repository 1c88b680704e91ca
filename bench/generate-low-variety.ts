import { type GeneratedFact, rng } from "./generate.js";

/**
 * Seeded low-variety brains: every fact is a random phrase of 6–13 words from a 36-word
 * vocabulary plus a reference number, and every 50th fact is a copy of an earlier one written
 * with "!" for ".". With so few distinct words every fact shares most character shingles with
 * every other, the text that makes near-duplicate candidates explode. Each fact carries its
 * origin (its own index, or the index of the fact it copies): a removal is right only when the
 * removed and the kept fact have the same origin.
 */
export interface LowVarietyFact extends GeneratedFact {
  origin: number;
}

const WORDS = (
  "stock parcel label crate pallet shelf route driver depot courier invoice ledger " +
  "refund voucher basket carton sample fabric thread button zipper hanger mirror lamp " +
  "kettle blanket pillow towel candle poster ribbon sticker folder marker stapler bucket"
).split(" ");

export function generateLowVariety(options: { facts: number; files: number; seed: number }): {
  facts: LowVarietyFact[];
  /** Index pairs (copy, original): the planted duplicates. */
  planted: [number, number][];
} {
  const random = rng(options.seed);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  const facts: LowVarietyFact[] = [];
  const planted: [number, number][] = [];
  for (let i = 0; i < options.facts; i++) {
    const path = `ops/notes/part-${Math.floor(random() * Math.max(1, options.files))}.md`;
    if (i % 50 === 49) {
      const origin = Math.floor(random() * i);
      const base = facts[origin]!;
      const text = `${base.text.slice(0, -1)}!`;
      facts.push({ scope: "ops", path, text, origin: base.origin });
      planted.push([i, origin]);
      continue;
    }
    const words = Array.from({ length: 6 + Math.floor(random() * 8) }, () => pick(WORDS));
    const phrase = words.join(" ");
    const text = `${phrase[0]!.toUpperCase()}${phrase.slice(1)} ref ${100000 + i}.`;
    facts.push({ scope: "ops", path, text, origin: i });
  }
  return { facts, planted };
}
