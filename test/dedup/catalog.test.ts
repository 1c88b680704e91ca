import { existsSync, readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { run as runDedupJob } from "../../jobs/dedup.js";
import { forEachCandidatePair } from "../../src/dedup/lsh.js";
import { normaliseFact } from "../../src/dedup/normalise.js";
import { makeContext } from "../helpers/index.js";

const COLOURS = ["white", "blue", "black", "navy", "sand", "green", "red", "grey"];
const MATERIALS = ["linen", "cotton", "wool", "silk", "denim", "cashmere"];
const GARMENTS = ["shirt", "dress", "coat", "scarf", "sweater", "trousers", "skirt", "jacket", "tote", "cap"];
const CITIES = [
  "Oslo",
  "Bergen",
  "Trondheim",
  "Stavanger",
  "Copenhagen",
  "Aarhus",
  "Stockholm",
  "Gothenburg",
];
const PEOPLE = [
  "Anna Holm",
  "Erik Lund",
  "Ingrid Dahl",
  "Lars Berg",
  "Maja Moe",
  "Nils Vik",
  "Sofie Lie",
  "Tom Foss",
];
const ROLES = ["manager", "supervisor", "intern", "trainee"];

/** The brain from the report: a 3,000-SKU price list, 16 store hours, 400 refunds and 16 people. */
function catalogBrain(): Record<string, string> {
  const skus = Array.from({ length: 3000 }, (_, i) => {
    const item = `${MATERIALS[i % 6]} ${GARMENTS[(i >> 3) % 10]}, ${COLOURS[(i >> 5) % 8]}`;
    return `- SKU ${10_000 + i} (${item}) costs €${20 + ((i * 7) % 60) * 5}.`;
  });
  const stores = CITIES.flatMap((city, c) => [
    `- The ${city} store opens at ${9 + (c % 3)}:00 on Saturdays.`,
    `- The ${city} store opens at ${10 + (c % 2)}:00 on Sundays.`,
  ]);
  const refunds = Array.from({ length: 400 }, (_, i) => {
    const day = String(1 + (i % 28)).padStart(2, "0");
    return `- Order ${55_000 + i} was refunded on 2026-11-${day}.`;
  });
  const people = [...PEOPLE, ...PEOPLE.map((p) => p.replace(/ /, "a "))].map(
    (p, i) => `- ${p} is the ${ROLES[i % 4]} at the ${CITIES[i % 8]} store.`,
  );
  const file = (title: string, lines: string[]) => `# ${title}\n\n${lines.join("\n")}\n`;
  return {
    "merchandising/prices.md": file("Prices", skus),
    "retail/hours.md": file("Hours", stores),
    "customer-service/refunds.md": file("Refunds", refunds),
    "hr/people.md": file("People", people),
  };
}

/** Restock notes from a small vocabulary: thousands of facts that share most of their words. */
function templatedFacts(n: number): string[] {
  return Array.from({ length: n }, (_, i) => {
    const k = i % 3840;
    const item = `${COLOURS[k % 8]} ${MATERIALS[(k >> 3) % 6]} ${GARMENTS[Math.floor(k / 48) % 10]}`;
    return `The ${item} is restocked every ${2 + ((i + Math.floor(i / 3840)) % 12)} weeks at the ${CITIES[Math.floor(k / 480) % 8]} store.`;
  });
}

type Data = {
  facts: number;
  removed: unknown[];
  contradictions: { reason: string }[];
  review: unknown[];
  scopes: {
    contradictions: number;
    review: number;
    listed: { contradictions: number; review: number };
    fullList: string | null;
    report: string;
  }[];
};

describe("kb dedup on catalog-shaped brains", () => {
  test("a price list, store hours, refunds and people give no contradictions", async () => {
    const ctx = makeContext({ brain: catalogBrain() });
    const data = (await runDedupJob(ctx, { dryRun: true })).data as Data;
    expect(data.facts).toBe(3432);
    expect(data.removed).toEqual([]);
    expect(data.contradictions).toEqual([]);
  });

  test("the same SKU at two prices is a contradiction, among 3,000 others", async () => {
    const brain = catalogBrain();
    brain["merchandising/sale.md"] = "# Sale\n\n- SKU 10007 (linen trousers, white) costs €45.\n";
    const ctx = makeContext({ brain });
    const data = (await runDedupJob(ctx, { dryRun: true })).data as Data;
    expect(data.contradictions.map((c) => c.reason)).toEqual(["numbers differ (€265 ≠ €45)"]);
  });

  test("templated text: bounded lists per fact and in --json, grouped in the report, full list in a file", async () => {
    const facts = templatedFacts(6000);
    const ctx = makeContext({
      brain: { "merchandising/restock.md": `# Restock\n\n${facts.map((f) => `- ${f}`).join("\n")}\n` },
    });
    const data = (await runDedupJob(ctx, { dryRun: true })).data as Data;
    const [scope] = data.scopes;
    expect(scope!.review).toBeGreaterThan(500);
    expect(data.review).toHaveLength(500);
    expect(data.contradictions.length).toBeLessThanOrEqual(500);
    // A pair is listed while one of its facts has fewer than 3 review pairs (10 contradictions): the
    // lists grow with the facts, the rest is counted.
    expect(scope!.listed.review).toBeLessThanOrEqual(3 * 6000);
    expect(scope!.listed.review).toBeLessThan(scope!.review);
    expect(scope!.listed.contradictions).toBeLessThanOrEqual(10 * 6000);
    expect(JSON.stringify(data).length).toBeLessThan(1024 * 1024);
    expect(existsSync(scope!.fullList!)).toBe(true);
    const listed = readFileSync(scope!.fullList!, "utf8").trim().split("\n");
    expect(listed.length).toBeGreaterThan(500);
    for (const line of listed.slice(0, 50)) expect(JSON.parse(line)).toHaveProperty("band");
    const report = readFileSync(scope!.report, "utf8");
    expect(report).toMatch(
      /^- \d+ × different words, like “the … is restocked every # weeks at the … store”:$/m,
    );
    expect(report.split("\n").length).toBeLessThan(800);
  });

  test("the blocking index visits a bounded number of pairs per fact on templated text", () => {
    const keys = templatedFacts(20_000).map(normaliseFact);
    let visits = 0;
    forEachCandidatePair(keys, () => visits++, { useLsh: true });
    expect(visits).toBeLessThanOrEqual(96 * keys.length);
  });
});
