import { keyTerms, missingTerm } from "./grounding-terms.js";
import { type CleanEntry, renderEntry } from "./preprocess.js";
import { redact } from "./redact.js";

/**
 * The grounding check: every mined fact must come with `evidence`, a verbatim quote from the
 * (redacted) log excerpt kb sent, and the quote — or the log entries it comes from — must carry
 * the fact's numbers, dates, names and identifiers. Quotes are compared after Unicode NFKC, case
 * folding, uniform quote marks and dashes, and collapsed whitespace; "…" may stand for left-out
 * words. Pure.
 */
export const MAX_QUOTE_CHARS = 200;
/** Shorter quotes (after normalising) say too little to check a fact against. */
export const MIN_QUOTE_CHARS = 12;

/** Where a fact's evidence was found: the quote as the model gave it and the entries it spans. */
export interface Evidence {
  quote: string;
  entries: EvidenceEntry[];
}

export interface EvidenceEntry {
  key: string;
  at: string;
  session?: string;
  entryId?: string;
}

export type Grounding = { ok: true; evidence: Evidence } | { ok: false; detail: string };

/** Normalised for comparison: NFKC, lower case, one kind of quote mark and dash, single spaces. */
export function normaliseQuote(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\u200b-\u200d\u2060\ufeff]/g, "")
    .replace(/[‘’‚‛′`´]/g, "'")
    .replace(/[“”„‟″«»]/g, '"')
    .replace(/[‐‑‒–—―−]/g, "-")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * Check one op's evidence against the entries of the chunk it was mined from. For a supersede,
 * `replaced` is the fact it replaces: what the new text keeps from it (the board chair's name in
 * "The CEO, Ingrid Dahl, reports to the board chaired by Kari Solheim.") needs no evidence; only
 * the terms that are new relative to it must be in the quote or its entries.
 */
export function groundFact(
  fact: string,
  evidence: string | undefined,
  entries: CleanEntry[],
  replaced?: string,
): Grounding {
  const raw = (evidence ?? "").trim();
  if (raw === "") return { ok: false, detail: `no evidence for "${shown(fact)}"` };
  if (raw.length > MAX_QUOTE_CHARS)
    return {
      ok: false,
      detail: `evidence is ${raw.length} characters, at most ${MAX_QUOTE_CHARS}: "${shown(fact)}"`,
    };
  const parts = normaliseQuote(raw.replace(/^["'“”‘’«»]+|["'“”‘’«»]+$/g, ""))
    .split(/\s*(?:…|\.\.\.)\s*/)
    .filter((p) => p !== "");
  if (parts.join(" ").length < MIN_QUOTE_CHARS)
    return {
      ok: false,
      detail: `evidence of ${raw.length} characters is too short to check "${shown(fact)}"`,
    };
  const spans = locate(parts, entries);
  // The quote is not shown: text that is not in the (redacted) excerpt may hold anything.
  if (!spans) return { ok: false, detail: `evidence not in the log excerpt for "${shown(fact)}"` };
  const sources = entries.filter((_, i) => spans.has(i));
  const support = [raw, ...sources.map((e) => e.text), replaced ?? ""].join("\n");
  const dates = sources.map((e) => e.at.slice(0, 10)).filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d));
  const missing = missingTerm(keyTerms(fact), raw, support, dates);
  if (missing)
    return {
      ok: false,
      detail: `evidence does not support the ${missing.kind} "${missing.term}" in "${shown(fact)}" (quote: "${shown(raw)}")`,
    };
  return {
    ok: true,
    evidence: {
      quote: redact(raw).text,
      entries: sources.map(({ key, at, session, entryId }) => ({ key, at, session, entryId })),
    },
  };
}

/**
 * Find the quote's parts, in order, in the chunk as the prompt showed it (each entry rendered as a
 * `[time role] text` line). Returns the indices of the entries the quote spans, or null.
 */
function locate(parts: string[], entries: CleanEntry[]): Set<number> | null {
  const starts: number[] = [];
  let text = "";
  for (const e of entries) {
    starts.push(text.length);
    text += `${normaliseQuote(renderEntry(e))} `;
  }
  const entryAt = (offset: number) => {
    let i = 0;
    while (i + 1 < starts.length && starts[i + 1]! <= offset) i++;
    return i;
  };
  const spans = new Set<number>();
  let from = 0;
  for (const part of parts) {
    const at = text.indexOf(part, from);
    if (at === -1) return null;
    for (let i = entryAt(at); i <= entryAt(at + part.length - 1); i++) spans.add(i);
    from = at + part.length;
  }
  return spans;
}

function shown(text: string): string {
  const clean = redact(text).text.replace(/\s+/g, " ");
  return clean.length > 120 ? `${clean.slice(0, 119)}…` : clean;
}
