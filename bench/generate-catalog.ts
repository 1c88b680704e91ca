import { type FactRef, type GeneratedFact, rng } from "./generate.js";

/**
 * Seeded catalog-shaped brains: facts written from templates with a small vocabulary that differ
 * only in an identifier and a value — a SKU price list, orders and refund dates, support tickets,
 * invoices, store hours and staff roles — and restock notes with no identifier at all, written
 * from a small vocabulary: the way exported or generated business knowledge looks.
 * Every fact carries its ground truth (what it is about and what it says), so a benchmark can
 * tell a true contradiction (same subject, another value) from a false one, and a true duplicate
 * (same subject, same value) from a false removal.
 */
export interface CatalogFact extends GeneratedFact {
  /** What the fact is about, e.g. "sku 10007". */
  subject: string;
  /** What it says about it, e.g. "€45". */
  value: string;
}

export interface CatalogPlanted {
  duplicates: { a: FactRef; b: FactRef }[];
  contradictions: { a: FactRef; b: FactRef }[];
}

const MATERIALS = ["linen", "cotton", "wool", "silk", "denim", "cashmere"];
const GARMENTS = ["shirt", "dress", "coat", "scarf", "sweater", "trousers", "skirt", "jacket", "tote", "cap"];
const COLOURS = ["white", "blue", "black", "navy", "sand", "green", "red", "grey"];
const CITIES = [
  "Oslo",
  "Bergen",
  "Trondheim",
  "Stavanger",
  "Copenhagen",
  "Aarhus",
  "Stockholm",
  "Gothenburg",
  "Malmo",
  "Helsinki",
  "Tampere",
  "Reykjavik",
  "Berlin",
  "Hamburg",
  "Amsterdam",
  "Tokyo",
];
const DAYS = ["Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays"];
const FIRST = [
  "Anna",
  "Erik",
  "Ingrid",
  "Lars",
  "Maja",
  "Nils",
  "Sofie",
  "Tom",
  "Elin",
  "Jonas",
  "Ida",
  "Ola",
  "Kari",
  "Per",
  "Sara",
  "Jan",
  "Liv",
  "Emil",
  "Hanna",
  "Mats",
];
const LAST = [
  "Holm",
  "Berg",
  "Dahl",
  "Lund",
  "Strand",
  "Moe",
  "Bakke",
  "Lie",
  "Haug",
  "Vik",
  "Nilsen",
  "Hansen",
  "Olsen",
  "Larsen",
  "Aas",
  "Eide",
  "Sand",
  "Ruud",
  "Foss",
  "Brekke",
];
const ROLES = ["manager", "treasurer", "supervisor", "intern", "trainee", "director"];
const TEAMS = ["returns team", "payments team", "delivery team", "product team", "loyalty team"];
const TOPICS = ["a late delivery", "a damaged parcel", "a missing refund", "a wrong size", "a billing error"];
const SUPPLIERS = ["Tricot Douro", "Nordic Knit", "Linen House", "Baltic Wool", "Atelier Sud"];

type Family = (id: number, v: number) => { text: string; subject: string; value: string };

/** Families of templated facts with their share of the brain and their agent scope. */
const FAMILIES: { scope: string; share: number; make: Family; values: number }[] = [
  {
    scope: "merchandising",
    share: 0.45,
    values: 60,
    make: (id, v) => {
      const sku = 10_000 + id;
      const item = `${MATERIALS[id % 6]} ${GARMENTS[(id >> 3) % 10]}, ${COLOURS[(id >> 5) % 8]}`;
      return { text: `SKU ${sku} (${item}) costs €${20 + v * 5}.`, subject: `sku ${sku}`, value: String(v) };
    },
  },
  {
    scope: "customer-service",
    share: 0.25,
    values: 300,
    make: (id, v) => {
      const order = 55_000 + id;
      const date = dayOf(v);
      return id % 2 === 0
        ? { text: `Order ${order} was refunded on ${date}.`, subject: `order ${order}`, value: date }
        : {
            text: `Order ${order} shipped to ${CITIES[id % 16]} on ${date}.`,
            subject: `order ${order}`,
            value: date,
          };
    },
  },
  {
    scope: "customer-service",
    share: 0.1,
    values: 25,
    make: (id, v) => ({
      text: `Ticket ${80_000 + id} about ${TOPICS[v % 5]} is assigned to the ${TEAMS[Math.floor(v / 5) % 5]}.`,
      subject: `ticket ${80_000 + id}`,
      value: String(v),
    }),
  },
  {
    // No identifier at all: a small vocabulary, so thousands of facts share most of their words.
    scope: "merchandising",
    share: 0.1,
    values: 12,
    make: (id, v) => {
      const k = id % 7680;
      const item = `${COLOURS[k % 8]} ${MATERIALS[(k >> 3) % 6]} ${GARMENTS[Math.floor(k / 48) % 10]}`;
      const city = CITIES[Math.floor(k / 480) % 16];
      return {
        text: `The ${item} is restocked every ${2 + v} weeks at the ${city} store.`,
        subject: `${item} ${city}`,
        value: String(v),
      };
    },
  },
  {
    scope: "finance",
    share: 0.1,
    values: 300,
    make: (id, v) => ({
      text: `Invoice INV-2026-${String(id).padStart(6, "0")} from ${SUPPLIERS[id % 5]} is due on ${dayOf(v)}.`,
      subject: `invoice ${id}`,
      value: String(v),
    }),
  },
];

function dayOf(v: number): string {
  const d = new Date(Date.UTC(2026, 0, 1) + v * 86_400_000);
  return d.toISOString().slice(0, 10);
}

/** Store hours (16 stores × 7 days) and staff roles (one fact per person): a fixed small core. */
function fixedFacts(): { scope: string; text: string; subject: string; value: string; variant: Family }[] {
  const out: { scope: string; text: string; subject: string; value: string; variant: Family }[] = [];
  CITIES.forEach((city, c) => {
    DAYS.forEach((day, d) => {
      const hours = (h: number) => `The ${city} store opens at ${h}:00 on ${day}.`;
      const h = 9 + ((c + d) % 3);
      out.push({
        scope: "retail",
        text: hours(h),
        subject: `${city} ${day}`,
        value: String(h),
        variant: (_, v) => ({
          text: hours(h + 1 + (v % 2)),
          subject: `${city} ${day}`,
          value: String(h + 1 + (v % 2)),
        }),
      });
    });
  });
  FIRST.forEach((first, f) => {
    LAST.forEach((last, l) => {
      const person = `${first} ${last}`;
      const role = (r: number) => `${person} is the ${ROLES[r % 6]} at the ${CITIES[(f + l) % 16]} store.`;
      const r = f * 20 + l;
      out.push({
        scope: "hr",
        text: role(r),
        subject: person,
        value: String(r % 6),
        variant: (_, v) => ({
          text: role(r + 1 + (v % 5)),
          subject: person,
          value: String((r + 1 + (v % 5)) % 6),
        }),
      });
    });
  });
  return out;
}

/**
 * `facts` catalog facts across scopes, `files` files per scope share, with planted duplicates
 * (a re-typed copy: lower case, other final punctuation, or an added clause) and planted
 * contradictions (the same subject with another value). Same seed, same facts.
 */
export function generateCatalog(options: {
  facts: number;
  files: number;
  seed: number;
  duplicateRate?: number;
  contradictionRate?: number;
}): { facts: CatalogFact[]; planted: CatalogPlanted } {
  const random = rng(options.seed);
  const dupRate = options.duplicateRate ?? 0.03;
  const conRate = options.contradictionRate ?? 0.005;
  const facts: CatalogFact[] = [];
  const planted: CatalogPlanted = { duplicates: [], contradictions: [] };
  const paths = new Map<string, string>();
  const fileOf = (scope: string) => {
    const path = `${scope}/catalog/part-${Math.floor(random() * Math.max(1, options.files))}.md`;
    const known = paths.get(path);
    if (known) return known;
    paths.set(path, path);
    return path;
  };
  const push = (scope: string, f: { text: string; subject: string; value: string }) => {
    const fact = { scope, path: fileOf(scope), ...f };
    facts.push(fact);
    return fact;
  };
  const plant = (scope: string, base: CatalogFact, variant: Family | null, id: number) => {
    const roll = random();
    if (roll < dupRate) {
      const style = Math.floor(random() * 3);
      const bare = base.text.slice(0, -1);
      const text =
        style === 0 ? bare.toLowerCase() : style === 1 ? `${bare}!` : `${bare}, as agreed with the team.`;
      const twin = push(scope, { text, subject: base.subject, value: base.value });
      planted.duplicates.push({ a: ref(base), b: ref(twin) });
    } else if (roll < dupRate + conRate && variant) {
      const other = variant(id, Math.floor(random() * 1000));
      if (other.value === base.value) return;
      const twin = push(scope, other);
      planted.contradictions.push({ a: ref(base), b: ref(twin) });
    }
  };
  for (const fixed of fixedFacts()) {
    if (facts.length >= options.facts) break;
    plant(fixed.scope, push(fixed.scope, fixed), fixed.variant, 0);
  }
  const counters = FAMILIES.map(() => 0);
  while (facts.length < options.facts) {
    const k = pickFamily(random());
    const family = FAMILIES[k]!;
    const id = counters[k]!++;
    const value = Math.floor(random() * family.values);
    const base = push(family.scope, family.make(id, value));
    const variant: Family = (i, v) => family.make(i, (value + 1 + (v % (family.values - 1))) % family.values);
    if (facts.length < options.facts) plant(family.scope, base, variant, id);
  }
  return { facts, planted };
}

/** The family whose share of [0, 1) holds `roll`. */
function pickFamily(roll: number): number {
  let rest = roll;
  for (let k = 0; k < FAMILIES.length; k++) {
    rest -= FAMILIES[k]!.share;
    if (rest < 0) return k;
  }
  return 0;
}

function ref(f: CatalogFact): FactRef {
  return { path: f.path, text: f.text };
}
