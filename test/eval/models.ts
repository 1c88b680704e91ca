import { join } from "node:path";
import { readSetLogs } from "../../src/eval/pass.js";
import { loadEvalSet } from "../../src/eval/set.js";
import { repoRoot } from "../helpers/index.js";
import { reply, type Script, type Step } from "../helpers/openai-server.js";

/**
 * Two scripted "models" for the starter set (evals/mine), each fact with its evidence quote:
 * `premium` gets every labelled fact, puts one in a wrong file and adds one unlabelled fact;
 * `cheap` misses five, puts one in a wrong file, proposes four must-not items and sends one
 * malformed reply. Both also propose the seven planted unsupported facts of `PLANTED`. Replies are
 * routed by the log text inside the prompt's <log> block, so a request is answered for the log it
 * carries.
 */
export const STARTER_SET = join(repoRoot, "evals/mine");

type Op = { op: "add"; path: string; section?: string; text: string; evidence?: string } | { op: "noop" };
/** An ADD with its evidence: a verbatim quote from the log (after redaction), as the contract asks. */
const add = (path: string, text: string, evidence?: string): Op => ({
  op: "add",
  path,
  section: "Notes",
  text,
  ...(evidence === undefined ? {} : { evidence }),
});
const NOOP: Op[] = [{ op: "noop" }];

const premium: Record<string, Op[]> = {
  "01": [
    add(
      "customer-service/policies/gift-cards.md",
      "Gift cards sold from 2026-12-01 are valid for 5 years; cards sold before then keep their 3-year validity.",
      "Gift cards sold from 2026-12-01 are valid for 5 years; cards sold before then keep 3 years.",
    ),
    add(
      "customer-service/policies/gift-cards.md",
      "A lost digital gift card can be re-sent from the Shopify admin without escalating.",
      "A lost digital gift card can be re-sent from the Shopify admin without escalating.",
    ),
  ],
  "02": [
    add(
      "finance/payments.md",
      "From 2027-01-01 each chargeback costs €20 instead of €15, win or lose.",
      "from 2027-01-01 each chargeback costs €20 instead of €15, win or lose",
    ),
  ],
  "03": [
    add(
      "retail/stores/oslo.md",
      "On 2026-12-23 and 2026-12-31 the Oslo store closes at 15:00.",
      "the Oslo store closes at 15:00 on 2026-12-23 and 2026-12-31",
    ),
    add(
      "company/people.md",
      "Ida Berg is acting Oslo store manager from 2026-12-07 to 2027-01-04.",
      "Ida Berg is acting Oslo store manager from 2026-12-07 to 2027-01-04",
    ),
  ],
  "04": [
    add(
      "customer-service/policies/returns.md",
      "Norwegian return pickups are booked in the Posten Business portal; bookings before 14:00 are collected the same business day.",
      "I'll book Norwegian return pickups in the Posten Business portal; bookings made before 14:00 are collected the same business day.",
    ),
  ],
  "05": [
    add(
      "merchandising/suppliers.md",
      "From FW27 all purchase orders to Lanificio Bruni are sent as EDIFACT ORDERS messages over SFTP; emailed POs are not accepted.",
      "from FW27 all purchase orders to Lanificio Bruni go as EDIFACT ORDERS messages over SFTP; emailed POs are no longer accepted",
    ),
  ],
  "06": [
    add(
      "hr/payroll-and-benefits.md",
      "From 2027-01-01 the staff discount covers up to €2,500 of purchases per calendar year.",
      "From 2027-01-01 the staff discount covers up to €2,500 of purchases per calendar year",
    ),
  ],
  "07": [
    add(
      "customer-service/channels.md",
      "Richpanel retries failed webhooks 5 times over about 2 hours, then drops the event.",
      "Richpanel retries a failed webhook 5 times over about 2 hours and then drops the event",
    ),
    add(
      "customer-service/channels.md",
      "Richpanel can deliver the same webhook event more than once, with the same event_id.",
      "the same event can arrive twice with the same event_id",
    ),
    add(
      "customer-service/channels.md",
      "The Richpanel API rate limit is 60 requests per minute per token.",
      "The API allows 60 requests per minute per token.",
    ),
  ],
  "08": NOOP,
  "09": [
    add(
      "marketing/email-and-social.md",
      "From 2027-01-07 the newsletter goes out every Thursday at 08:00 CET instead of Tuesday.",
      "from 2027-01-07 the newsletter goes out every Thursday at 08:00 CET instead of Tuesday",
    ),
  ],
  // Already in the brain word for word: kb mine would drop it, so it is neither right nor wrong.
  "10": [
    add(
      "retail/stores/index.md",
      "European stores open at 10:00 Monday to Saturday.",
      "European stores open at 10:00 Monday to Saturday.",
    ),
  ],
  "11": [
    add(
      "finance/reporting.md",
      "From January 2027 the books are closed by the 4th business day of the following month.",
      "From January 2027 the books are closed by the 4th business day of the following month",
    ),
    add(
      "finance/accounts-payable.md",
      "Camilla Riis approves the payment runs when Lars Berg is away.",
      "Camilla Riis is Lars Berg's deputy: she approves the payment runs whenever he is away.",
    ),
  ],
  "13": NOOP,
  "14": [
    // The log says "Bruni"; the supplier's full name comes from the brain, not the quoted entry.
    add(
      "merchandising/suppliers.md",
      "From FW27 the minimum order for Lanificio Bruni coat cloth is 300 metres per colour.",
      "from FW27 their minimum order for coat cloth is 300 metres per colour",
    ),
  ],
  "15": [
    add(
      "hr/scheduling.md",
      "From 2027-01-01 hourly store staff clock in and out in Planday instead of paper timesheets.",
      "from 2027-01-01 hourly store staff clock in and out in Planday; paper timesheets are no longer accepted",
    ),
    // Wrong file: the label says hr/scheduling.md.
    add(
      "hr/payroll-and-benefits.md",
      "Store managers approve last week's Planday hours every Monday by 12:00.",
      "Store managers approve the previous week's Planday hours every Monday by 12:00",
    ),
  ],
  // Not labelled, not forbidden: an unexpected fact.
  "16": [
    add(
      "marketing/calendar.md",
      "The Copenhagen Fashion Week press day is on 2027-02-04.",
      "the 4th clashes with the Copenhagen Fashion Week press day",
    ),
  ],
};

/**
 * Facts no log supports, planted in both models' replies (labelled `mustNot` with `why: unsupported`
 * in the set): an altered quote, true quotes that lack the fact's number, date, name or identifier,
 * and a fact with no evidence at all.
 */
export const PLANTED: Record<string, Op[]> = {
  "02": [
    add(
      "finance/payments.md",
      "Adyen refunds the chargeback fee when Fjord & Finch wins the case.",
      "Adyen refunds the chargeback fee when we win the case",
    ),
  ],
  "03": [
    add(
      "retail/stores/oslo.md",
      "The Oslo store closes at 14:00 on 2026-12-24.",
      "we close at 15:00 on 23 and 31 December",
    ),
  ],
  "07": [
    add(
      "customer-service/channels.md",
      "Richpanel signs its webhooks with HMAC-SHA256.",
      "Richpanel retries a failed webhook 5 times",
    ),
  ],
  "09": [
    add(
      "marketing/email-and-social.md",
      "The newsletter open-rate target for 2027 is 45%.",
      "The last four Tuesday sends averaged a 39.8% open rate.",
    ),
  ],
  "11": [
    add(
      "finance/accounts-payable.md",
      "Peter Holm approves the payment runs when Lars Berg is away.",
      "she approves the payment runs whenever he is away",
    ),
  ],
  "13": [
    add("customer-service/shipping.md", "PostNord delivers parcels to Denmark within two business days."),
  ],
  "15": [
    add(
      "hr/scheduling.md",
      "Office staff switch from paper timesheets to Planday on 2027-02-01.",
      "hourly store staff clock in and out in Planday",
    ),
  ],
};

const withPlanted = (table: Record<string, Op[]>): Record<string, Op[]> =>
  Object.fromEntries(
    [...new Set([...Object.keys(table), ...Object.keys(PLANTED)])].map((log) => [
      log,
      [...(table[log] ?? []).filter((o) => o.op !== "noop"), ...(PLANTED[log] ?? [])],
    ]),
  );

const cheapOwn: Record<string, Op[]> = {
  ...premium,
  "01": premium["01"]!.slice(0, 1),
  "02": [
    ...premium["02"]!,
    add("finance/payments.md", "Today's Adyen payout was €48,210.55.", "Today's payout was €48,210.55"),
  ],
  "03": [
    premium["03"]![0]!,
    add(
      "retail/stores/oslo.md",
      "The espresso machine in the Oslo store's back room is broken again.",
      "The espresso machine in the back room is broken again",
    ),
  ],
  "04": [
    ...premium["04"]!,
    add(
      "customer-service/channels.md",
      "The Posten Business portal login is fjordfinch-cs.",
      "Login is fjordfinch-cs",
    ),
  ],
  "05": [{ ...(premium["05"]![0] as Op & { op: "add" }), path: "merchandising/assortment.md" }],
  "06": [
    add(
      "hr/payroll-and-benefits.md",
      "From 2027-01-01 the staff discount covers up to €3,000 of purchases per calendar year.",
      "from 2027-01-01 the staff discount covers up to €3,000 of purchases per calendar year",
    ),
  ],
  "07": [premium["07"]![0]!, premium["07"]![2]!],
  "10": NOOP,
  "11": premium["11"]!.slice(0, 1),
  "15": [premium["15"]![0]!, { ...(premium["15"]![1] as Op & { op: "add" }), path: "hr/scheduling.md" }],
  "16": NOOP,
};

const premiumReplies = withPlanted(premium);
const cheap = withPlanted(cheapOwn);

export const PRICES = { premium: { input: 3, output: 15 }, cheap: { input: 0.15, output: 0.6 } };

/** Which starter-set log a request carries: its two-digit number, from the chunk text in the prompt. */
export function logRouter(): (body: Record<string, unknown>) => string {
  const logs = readSetLogs(loadEvalSet(STARTER_SET), { chunkTokens: 6000, today: "2026-11-24" });
  return (body) => {
    const messages = body.messages as { role: string; content: string }[];
    const user = messages.find((m) => m.role === "user")!.content;
    const inLog = user.slice(user.indexOf("<log>"));
    const hit = logs.find((l) => l.chunks.some((c) => inLog.includes(c.text)));
    if (!hit) throw new Error("request for a log the starter set does not have");
    return hit.log.file.slice("logs/".length, "logs/".length + 2);
  };
}

/**
 * The script for both models. `cheap` answers log 04 first with prose (a schema failure, then the
 * repair). With `drift`, the second pass of `cheap` stays silent on log 09 (for the spread).
 */
export function starterScript(options: { drift?: boolean } = {}): Script {
  const route = logRouter();
  const seen = new Map<string, number>();
  const answer =
    (table: Record<string, Op[]>, model: string, usage: { prompt: number; completion: number }) =>
    (req: { body: Record<string, unknown> }): Step => {
      const log = route(req.body);
      const n = (seen.get(`${model}:${log}`) ?? 0) + 1;
      seen.set(`${model}:${log}`, n);
      const repair = (req.body.messages as unknown[]).length > 2;
      if (model === "cheap" && log === "04" && !repair)
        return reply("Sure! The facts are: pickups before 14:00.", usage);
      if (options.drift && model === "cheap" && log === "09" && n > 1) return reply({ ops: NOOP }, usage);
      return reply({ ops: table[log] ?? NOOP }, usage);
    };
  return {
    premium: answer(premiumReplies, "premium", { prompt: 1000, completion: 200 }),
    cheap: answer(cheap, "cheap", { prompt: 1000, completion: 150 }),
  };
}
