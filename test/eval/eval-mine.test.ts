import { createHash } from "node:crypto";
import { cpSync, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, test } from "vitest";
import { run as evalCmd } from "../../src/cli/commands/eval.js";
import { git, gitOut } from "../../src/runtime/git.js";
import { makeContext, makeTree, repoRoot, runKb } from "../helpers/index.js";
import { startOpenAiServer, status } from "../helpers/openai-server.js";
import { PRICES, STARTER_SET, starterScript } from "./models.js";

/** A context over a copy of the bundled brain in its own git repository, pointed at the test server. */
async function evalEnv(
  llmUrl: string,
  extra: Record<string, unknown> = {},
  mine: Record<string, unknown> = {},
) {
  const ctx = makeContext({
    config: {
      llm: { baseUrl: llmUrl, models: ["premium", "cheap"], prices: PRICES, ...extra },
      mine: { sources: [{ agent: "finance", kind: "openclaw-jsonl", path: "./logs" }], ...mine },
    },
  });
  cpSync(join(repoRoot, "brain"), join(ctx.root, "brain"), { recursive: true });
  await git(["init", "-q", "-b", "main", ctx.root]);
  await git(["-C", ctx.root, "add", "brain"]);
  await git(["-C", ctx.root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "brain"]);
  return ctx;
}

/** One hash over every file's path and bytes. */
function hashTree(root: string): string {
  const h = createHash("sha256");
  const visit = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const abs = join(dir, name);
      if (statSync(abs).isDirectory()) visit(abs);
      else h.update(`${relative(root, abs)}\0`).update(readFileSync(abs));
    }
  };
  visit(root);
  return h.digest("hex");
}

const latencies = (text: string) => text.replace(/ +\d+ ms +\d+ ms/g, "  <ms> <ms>");

describe("kb eval mine on the starter set", () => {
  test("scores two models, recommends by F1 and price, and leaves brain, watermarks and git alone", async () => {
    const llm = await startOpenAiServer(starterScript());
    const ctx = await evalEnv(llm.url);
    const brainBefore = hashTree(join(ctx.root, "brain"));
    const headBefore = await gitOut(["-C", ctx.root, "rev-parse", "HEAD"]);

    const out = await evalCmd(ctx, { args: ["mine"], opts: { set: STARTER_SET } });

    // 15 logs have a chunk (the heartbeat-only log is dropped by preprocessing); both models get a
    // repair request for the planted fact without evidence (log 13), cheap one more for its prose reply.
    expect(llm.count("premium")).toBe(16);
    expect(llm.count("cheap")).toBe(17);
    expect(latencies(out.text).replace(ctx.root, "<root>")).toMatchInlineSnapshot(`
      "eval mine: Fjord & Finch starter set, 16 logs, 17 expected facts, 2 model(s) × 1 run(s)
      model    precision  recall    F1  wrong path  forbidden  schema failures  attempts  tokens     cost  p50 latency  p95 latency
      premium       1.00    0.94  0.97          6%          0                0        16   19200  $0.0960  <ms> <ms>
      cheap         0.85    0.65  0.73          9%          2                1        17   19550  $0.0041  <ms> <ms>
      recommendation: premium — best F1 (0.97); no other model within the margin
      report <root>/reports/eval/mine-2026-11-24.md"
    `);
    const data = out.data as {
      models: { model: string; precision: number; recall: number; f1: number; runs: { counts: unknown }[] }[];
      recommendation: { model: string };
      reports: { markdown: string; json: string };
    };
    expect(data.models.map((m) => [m.model, m.runs[0]!.counts])).toEqual([
      ["premium", { tp: 16, fp: 0, fn: 1, wrongPath: 1, forbidden: 0, known: 1 }],
      ["cheap", { tp: 11, fp: 2, fn: 6, wrongPath: 1, forbidden: 2, known: 0 }],
    ]);
    const [premium, cheap] = data.models;
    expect(premium!.precision).toBe(1);
    expect(premium!.f1).toBeCloseTo((2 * 16) / (2 * 16 + 1), 5);
    expect([cheap!.precision, cheap!.recall, cheap!.f1]).toEqual([0.846154, 0.647059, 0.733333]);
    // The grounding check: every planted unsupported fact refused; one correct fact lost by each model
    // (log 14 says "Bruni", the fact names "Lanificio Bruni" from the brain).
    const grounding = (data.models as unknown as { model: string; grounding: Record<string, unknown> }[]).map(
      (m) => [m.model, m.grounding],
    );
    expect(grounding).toMatchInlineSnapshot(`
      [
        [
          "premium",
          {
            "correctKept": 16,
            "correctWithout": 17,
            "plantedProposed": 7,
            "plantedRefused": 7,
            "refused": 9,
            "without": {
              "f1": 0.809524,
              "forbidden": 7,
              "precision": 0.68,
              "recall": 1,
              "wrongPathRate": 0.058824,
            },
          },
        ],
        [
          "cheap",
          {
            "correctKept": 11,
            "correctWithout": 12,
            "plantedProposed": 7,
            "plantedRefused": 7,
            "refused": 10,
            "without": {
              "f1": 0.6,
              "forbidden": 11,
              "precision": 0.521739,
              "recall": 0.705882,
              "wrongPathRate": 0.083333,
            },
          },
        ],
      ]
    `);

    // Nothing written where kb mine writes: brain bytes, git, watermarks, seen entries, usage, runs.
    expect(hashTree(join(ctx.root, "brain"))).toBe(brainBefore);
    expect(await gitOut(["-C", ctx.root, "rev-parse", "HEAD"])).toBe(headBefore);
    expect(await gitOut(["-C", ctx.root, "status", "--porcelain", "--", "brain"])).toBe("");
    expect(await gitOut(["-C", ctx.root, "branch", "--list"])).toBe("* main");
    const db = ctx.db();
    for (const table of ["mine_watermarks", "mine_seen", "llm_usage", "mine_rejections", "runs"]) {
      expect([table, db.prepare(`SELECT count(*) AS n FROM ${table}`).get()]).toEqual([table, { n: 0 }]);
    }

    // No planted secret reached the model: redaction ran before every prompt.
    for (const secret of ["Fjord-Posten-2026!fake", "Br1ni-sftp-FAKE-0042"])
      expect(llm.requests.some((r) => r.raw.includes(secret))).toBe(false);

    const md = readFileSync(data.reports.markdown, "utf8");
    expect(md).toContain("**Recommendation: premium — best F1 (0.97); no other model within the margin**");
    expect(md).toContain(
      '- `logs/06-hr-discount-correction.jsonl`: "From 2027-01-01 the staff discount covers up to €3,000 of purchases per calendar year." (corrected)',
    );
    expect(md).toContain(
      '- `logs/15-hr-memory-2026-11-21-planday.md`: "Store managers approve last week\'s Planday hours every Monday by 12:00." → `hr/payroll-and-benefits.md`, expected `hr/scheduling.md`',
    );
    expect(md).toContain(
      '### Missed\n\n- `logs/01-cs-gift-cards.jsonl`: "A lost digital gift card is re-sent to the customer from the Shopify admin, without escalation." → `customer-service/policies/gift-cards.md`',
    );
    expect(md).toContain(
      '### Refused by the grounding check\n\n- `logs/02-finance-chargeback-fee.jsonl`: "Adyen refunds the chargeback fee when Fjord & Finch wins the case." → `finance/payments.md`',
    );
    expect(md).toContain("| premium | 16 of 17 | 7 of 7 | 9 | 0.97 / 0.81 | 1.00 / 0.68 | 0 / 7 |");
    expect(JSON.parse(readFileSync(data.reports.json, "utf8")).recommendation.model).toBe("premium");
  });

  test("the built CLI with --json and a wider margin recommends the cheaper model", async () => {
    const llm = await startOpenAiServer(starterScript());
    const ctx = await evalEnv(llm.url, { models: [] });
    const res = await runKb(
      [
        "--config",
        join(ctx.root, "kb.config.yaml"),
        "--as-of",
        "2026-11-24",
        "--json",
        "eval",
        "mine",
        "--set",
        STARTER_SET,
        "--models",
        "premium,cheap",
        "--margin",
        "0.25",
      ],
      { cwd: ctx.root },
    );
    expect(res.stderr).not.toContain("error");
    expect(res.code).toBe(0);
    const data = JSON.parse(res.stdout);
    expect(Object.keys(data)).toEqual([
      "date",
      "set",
      "runs",
      "margin",
      "models",
      "recommendation",
      "note",
      "reports",
    ]);
    expect(data.set).toEqual({
      dir: STARTER_SET,
      name: "Fjord & Finch starter set",
      logs: 16,
      expected: 17,
      mustNot: 35,
      threshold: 0.55,
    });
    expect(Object.keys(data.models[0])).toEqual([
      "model",
      "precision",
      "recall",
      "f1",
      "wrongPathRate",
      "forbidden",
      "schemaFailures",
      "attempts",
      "tokens",
      "costUsd",
      "latencyMs",
      "failedChunks",
      "grounding",
      "spread",
      "runs",
    ]);
    expect(data.models[1]).toMatchObject({
      model: "cheap",
      tokens: { prompt: 17000, completion: 2550, total: 19550 },
      costUsd: 0.00408,
      schemaFailures: 1,
      attempts: 17,
      spread: null,
    });
    expect(data.recommendation).toEqual({
      model: "cheap",
      f1: 0.733333,
      costUsd: 0.00408,
      best: { model: "premium", f1: 0.969697, costUsd: 0.096 },
      reason:
        "F1 0.73 is within 0.25 of the best (premium, 0.97) at $0.0041 per pass against $0.0960 (96% less)",
    });
    expect(existsSync(data.reports.markdown) && existsSync(data.reports.json)).toBe(true);
  });

  test("--runs 2 shows the spread of each metric", async () => {
    const llm = await startOpenAiServer(starterScript({ drift: true }));
    const ctx = await evalEnv(llm.url);
    const out = await evalCmd(ctx, { args: ["mine"], opts: { set: STARTER_SET, runs: "2" } });
    expect(llm.count("premium")).toBe(32);
    const data = out.data as {
      models: {
        model: string;
        f1: number;
        spread: Record<string, { mean: number; min: number; max: number }>;
      }[];
      reports: { markdown: string };
    };
    const [premium, cheap] = data.models;
    expect(premium!.spread.f1.min).toBe(premium!.spread.f1.max);
    // Run 2 of cheap misses the newsletter fact: 10 of 17 found, 2 unexpected (F1 = 20 / 29).
    expect(cheap!.spread.recall).toEqual({ mean: 0.617647, min: 0.588235, max: 0.647059 });
    expect(cheap!.spread.f1).toEqual({ mean: 0.711494, min: 0.689655, max: 0.733333 });
    expect(cheap!.spread.costUsd).toEqual({ mean: 0.00408, min: 0.00408, max: 0.00408 });
    expect(latencies(out.text).split("\n").slice(1, 4).join("\n")).toMatchInlineSnapshot(`
      "model    precision  recall          F1  wrong path  forbidden  schema failures  attempts  tokens     cost  p50 latency  p95 latency
      premium       1.00    0.94  0.97 ±0.00          6%          0                0        16   19200  $0.0960  <ms> <ms>
      cheap         0.84    0.62  0.71 ±0.02         10%          2                1        17   19550  $0.0041  <ms> <ms>"
    `);
    const md = readFileSync(data.reports.markdown, "utf8");
    expect(md).toContain(
      "| model | precision | recall | F1 | cost |\n|---|---:|---:|---:|---:|\n| premium | 1.00–1.00 | 0.94–0.94 | 0.97–0.97 | $0.0960–$0.0960 |\n| cheap | 0.83–0.85 | 0.59–0.65 | 0.69–0.73 | $0.0041–$0.0041 |",
    );
  });
});

describe("kb eval mine when a model does not answer", () => {
  test("an unknown model is scored as finding nothing and left out of the recommendation", async () => {
    const llm = await startOpenAiServer(
      starterScript(),
      status(404, {}, { error: { message: "model not found" } }),
    );
    const ctx = await evalEnv(llm.url);
    const out = await evalCmd(ctx, { args: ["mine"], opts: { set: STARTER_SET, models: "ghost,cheap" } });
    // The first 404 opens the circuit: one request, then every chunk fails without another.
    expect(llm.count("ghost")).toBe(1);
    expect(latencies(out.text).split("\n").slice(1, 5).join("\n")).toMatchInlineSnapshot(`
      "model  precision  recall    F1  wrong path  forbidden  schema failures  attempts  tokens     cost  p50 latency  p95 latency
      ghost       1.00    0.00  0.00           —          0                0         1       0        —            —            —
      cheap       0.85    0.65  0.73          9%          2                1        17   19550  $0.0041  <ms> <ms>
      recommendation: cheap — best F1 (0.73); no other model within the margin; left out: ghost (15 chunk(s) without an answer)"
    `);
  });
  test("a pass that reaches mine.budget stops there and is left out of the recommendation", async () => {
    const llm = await startOpenAiServer(starterScript());
    const ctx = await evalEnv(llm.url, {}, { budget: { calls: 10, tokens: 2_000_000, costUsd: 5 } });
    const out = await evalCmd(ctx, { args: ["mine"], opts: { set: STARTER_SET } });
    expect([llm.count("premium"), llm.count("cheap")]).toEqual([10, 10]);
    const data = out.data as { models: { failedChunks: number }[]; recommendation: unknown; note: string };
    // cheap spends one of its ten calls on a repair, so it answers one chunk fewer.
    expect(data.models.map((m) => m.failedChunks)).toEqual([5, 6]);
    expect(data.recommendation).toBeNull();
    expect(data.note).toBe(
      "left out: premium (budget of 10 LLM calls per run reached; raise mine.budget), cheap (budget of 10 LLM calls per run reached; raise mine.budget)",
    );
  });
});

describe("kb eval mine input errors", () => {
  test("a set problem names expected.yaml, the line and the key (exit 2)", async () => {
    const llm = await startOpenAiServer({});
    const ctx = await evalEnv(llm.url);
    const set = makeTree({
      "logs/a.md": "- note\n",
      "expected.yaml": [
        "logs:",
        "  - file: logs/a.md",
        "    kind: markdown",
        "    agent: hr",
        "    facts:",
        "      - txt: Staff get 40% off.",
        "        path: hr/payroll-and-benefits.md",
        "  - file: logs/missing.md",
        "    kind: openclaw-db",
        "    agent: hr",
        "",
      ].join("\n"),
    });
    const error = await evalCmd(ctx, { args: ["mine"], opts: { set } }).catch((e) => e);
    expect(error.exitCode).toBe(2);
    expect(error.message.replaceAll(set, "<set>")).toMatchInlineSnapshot(`
      "3 problems in the labelled set:
        <set>/expected.yaml:6: "logs.0.facts.0.text" is missing; expected text
        <set>/expected.yaml:6: "logs.0.facts.0.txt" is not a known key; did you mean "text"? Accepted keys: text, alt, path.
        <set>/expected.yaml:9: "logs.1.kind" is "openclaw-db"; expected one of: openclaw, openclaw-jsonl, openclaw-sqlite, openclaw-memory, claude-code, markdown"
    `);
    expect(llm.count()).toBe(0);
  });

  test("usage errors say what would be valid", async () => {
    const llm = await startOpenAiServer({});
    const ctx = await evalEnv(llm.url);
    const fail = (args: string[], opts: Record<string, unknown>) =>
      evalCmd(ctx, { args, opts }).then(
        () => "no error",
        (e: Error) => e.message,
      );
    expect((await fail(["dedup"], { set: STARTER_SET })).split("\n")[0]).toBe(
      '"dedup" is not an evaluation; expected one of:',
    );
    expect(await fail(["mine"], {})).toBe(
      "--set DIR is required: the labelled set folder, with expected.yaml (see evals/README.md)",
    );
    expect(await fail(["mine"], { set: STARTER_SET, runs: "0" })).toBe(
      '--runs "0" is not valid; expected a whole number from 1 to 20',
    );
    expect(await fail(["mine"], { set: STARTER_SET, margin: "five" })).toBe(
      '--margin "five" is not valid; expected an F1 difference from 0 to 1, e.g. 0.05',
    );
    expect(await fail(["mine"], { set: STARTER_SET, models: "a,,a" })).toBe("--models names a twice");
    const noLlm = makeContext({ config: {} });
    const message = await evalCmd(noLlm, { args: ["mine"], opts: { set: STARTER_SET } }).catch(
      (e) => e.message,
    );
    expect(message.replace(noLlm.root, "<root>")).toBe(
      "llm.baseUrl is not set in <root>/kb.config.yaml; evaluating needs an OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1",
    );
  });
});
