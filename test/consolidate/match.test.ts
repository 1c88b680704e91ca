import { describe, expect, it } from "vitest";
import { conflictOf, findConflicts, type LiveFact, liveFact } from "../../src/consolidate/match.js";

const fact = (raw: string, path = "a.md", line = 1): LiveFact =>
  liveFact({ path, line, raw, section: "", pinned: false });

/** The attribute and the two values when the facts conflict, else null. */
function pair(a: string, b: string): string | null {
  const c = conflictOf(fact(a), fact(b, "b.md"));
  return c ? `${c.attribute}: ${c.aValue.norm} / ${c.bValue.norm}` : null;
}

describe("one subject and attribute, another value", () => {
  it.each([
    ["Free EU shipping above €50.", "Free EU shipping above €60.", "money: €50 / €60"],
    ["Staff get 30% off full-price items.", "Staff get 40% off full-price items.", "percent: 30% / 40%"],
    ["Lars Berg is the CEO.", "Ingrid Dahl is the CEO.", "ceo: lars berg / ingrid dahl"],
    ["Lars Berg is the CEO.", "Ingrid Dahl is the company's CEO.", "ceo: lars berg / ingrid dahl"],
    [
      "New starters meet Lars Berg, the CEO, in their first week.",
      "Ingrid Dahl is the CEO.",
      "ceo: lars berg / ingrid dahl",
    ],
    [
      "The newsletter goes out on Thursdays at 07:00.",
      "The newsletter goes out on Wednesdays at 07:00.",
      "weekday: thursday / wednesday",
    ],
    [
      "Adyen pays out daily to the Danske Bank EUR account.",
      "Adyen pays out on Tuesdays and Fridays to the Danske Bank EUR account.",
      "weekday: daily / friday+tuesday",
    ],
    [
      "Seasonal staff earn at least NOK 195 per hour.",
      "From 2027-01-01 seasonal staff earn at least NOK 210 per hour.",
      "money: nok195 / nok210",
    ],
    ["SS26 is our latest collection.", "FW26 is our latest collection.", "code: ss26 / fw26"],
    [
      "All of Me was performed by John Legend.",
      "All of Me was performed by Bobby Brown.",
      "name: john legend / bobby brown",
    ],
    [
      "The official language of Australia is English.",
      "The official language of Australia is Spanish.",
      "name: english / spanish",
    ],
    [
      "The winter sale ends on 2027-01-31.",
      "The winter sale ends on 2027-01-15.",
      "date: 2027-01-31 / 2027-01-15",
    ],
    [
      "Lead time for wool coats from Lanificio Bruni is 14 weeks.",
      "Lead time for wool coats from Lanificio Bruni is 16 weeks.",
      "duration: 14 week / 16 week",
    ],
    ["Free EU shipping above €50.", "Shipping to the EU is free above €60.", "money: €50 / €60"],
  ])("%s / %s", (a, b, expected) => {
    expect(pair(a, b)).toBe(expected);
    expect(pair(b, a)?.split(": ")[0]).toBe(expected.split(": ")[0]);
  });
});

describe("never a contradiction: other subjects, other attributes, look-alikes", () => {
  it.each([
    // the guard of the issue: another group's discount, another provider's payouts
    [
      "Staff get 40% off full-price items.",
      "Friends and family get 30% off full-price items during the spring event.",
    ],
    ["Adyen now pays out on Tuesdays and Fridays.", "Vipps pays out every business day."],
    ["Adyen pays out daily.", "Vipps pays out daily."],
    // the subject is the name that differs
    ["Love Me Do was performed by The Beatles.", "Love You To was performed by The Beatles."],
    ["The official language of Australia is English.", "The official language of United Kingdom is English."],
    ["The capital of England is London.", "The capital of Indonesia is Jakarta."],
    ["Lars Berg is the CFO.", "Ingrid Dahl is the CEO."],
    ["Astrid Nyberg is Head of Retail.", "Sofie Lund is Head of Customer Service."],
    ["Seasonal staff earn at least NOK 195 per hour.", "Staff earn at least NOK 180 per hour."],
    ["SKU 1001 costs €20.", "SKU 1002 costs €25."],
    ["Refund disputes up to €500 go to the CS team queue.", "Refund disputes above €500 go to Sofie Lund."],
    ["Returns are free within 30 days.", "Returns are not free after 30 days."],
    ["The Oslo store opens at 10:00.", "The Bergen store opens at 11:00."],
    [
      "Discounts are 30% on SS26 and 50% on FW25 pieces.",
      "Discounts are 40% on SS26 and 60% on FW25 pieces.",
    ],
    [
      'FW26 "Nordlys" launches online and in the European stores on 2026-12-01.',
      '2026-12-01: FW26 "Nordlys" launch online and in Europe.',
    ],
    ["Free EU shipping above €60.", "Free EU shipping above €60."],
    // a paraphrase whose subject says more ("orders to EU addresses") is not taken for the same subject
    ["Free EU shipping above €50.", "Orders to EU addresses ship free above €60."],
    // subjects that share their first letters (MQuAKE-hard's renamed copies)
    ["Dakano was developed by Sony Interactive Entertainment.", "Dakanelo was developed by Microsoft."],
    ["Lewovi is located in the continent of Europe.", "Lewovima is located in the continent of Eurasia."],
    // a known verb before "of" is a noun: the country is part of the subject
    [
      "The name of the current head of the Pakistan government is Cuauhtémoc Blanco.",
      "The name of the current head of the Nojori government is Cuauhtémoc Blanco.",
    ],
    // names brought in by other words are other relations
    [
      "Jokafe Nemavi was created by Shigeru Miyamoto.",
      "Jokafe Nemavi was created in the country of United Kingdom.",
    ],
  ])("%s / %s", (a, b) => {
    expect(pair(a, b)).toBeNull();
    expect(pair(b, a)).toBeNull();
  });
});

describe("weekdays", () => {
  it("per-day lines of one list are a schedule; the same line in two files is a contradiction", () => {
    const mon = liveFact({
      path: "retail/stores/oslo.md",
      line: 3,
      raw: "The store opens at 10:00 on Mondays.",
      section: "Hours",
      pinned: false,
    });
    const sat = liveFact({
      path: "retail/stores/oslo.md",
      line: 4,
      raw: "The store opens at 10:00 on Saturdays.",
      section: "Hours",
      pinned: false,
    });
    const copy = liveFact({
      path: "customer-service/faq.md",
      line: 9,
      raw: "The store opens at 10:00 on Saturdays.",
      section: "Stores",
      pinned: false,
    });
    expect(conflictOf(mon, sat)).toBeNull();
    expect(conflictOf(mon, copy)?.attribute).toBe("weekday");
  });
});

describe("files about their own thing", () => {
  it("sibling files below an agent's folder are separate subjects; topic files of one agent are not", () => {
    const at = (path: string, raw: string) =>
      liveFact({ path, line: 5, raw, section: "Deliveries", pinned: false });
    expect(
      conflictOf(
        at("retail/stores/stockholm.md", "Deliveries from Kolding arrive on Tuesdays."),
        at("retail/stores/oslo.md", "Deliveries from Kolding arrive on Wednesdays."),
      ),
    ).toBeNull();
    expect(
      conflictOf(
        at("hr/onboarding.md", "Staff get 30% off full-price items."),
        at("hr/payroll-and-benefits.md", "Staff get 40% off full-price items."),
      )?.attribute,
    ).toBe("percent");
  });
});

describe("findConflicts", () => {
  it("finds every pair across files once, whatever the folder, and only those", () => {
    const facts = [
      fact("Free EU shipping above €50.", "customer-service/policies/shipping.md", 3),
      fact("Free EU shipping above €60.", "finance/vat-and-shipping.md", 9),
      fact("Free EU shipping above €50.", "customer-service/faq.md", 4),
      fact("Free Norway shipping above NOK 600.", "customer-service/faq.md", 5),
      fact("Love Me Do was performed by The Beatles.", "music/songs.md", 1),
      fact("Love You To was performed by The Beatles.", "music/songs.md", 2),
    ];
    const found = findConflicts(facts).map((c) =>
      [`${c.a.path}:${c.a.line}`, `${c.b.path}:${c.b.line}`].sort().join(" ~ "),
    );
    expect(found.sort()).toEqual([
      "customer-service/faq.md:4 ~ finance/vat-and-shipping.md:9",
      "customer-service/policies/shipping.md:3 ~ finance/vat-and-shipping.md:9",
    ]);
  });
});
