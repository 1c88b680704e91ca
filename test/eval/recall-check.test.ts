import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { recallSchema } from "../../src/config/sections/recall.js";
import { judgeRecall } from "../../src/eval/recall/check.js";
import { kbInProcess, makeContext, makeTree } from "../helpers/index.js";
import { startWebhookServer } from "../helpers/webhook-server.js";

const doc = (body: string) =>
  `---\ntitle: Payments\nowner: '@lars'\nlast_reviewed: 2026-11-01\n---\n\n## Payouts\n\n${body}\n`;

const questions = `
- id: adyen
  question: How often does Adyen pay out?
  answer: Tuesdays and Fridays
  stale: pays out daily
- id: klarna
  question: When does Klarna settle?
  answer: every Tuesday
`;

describe("the recall check after the nightly pipeline", () => {
  it("applies the thresholds of config recall", () => {
    const config = recallSchema.parse({ set: "x", minRecall: 0.8, maxDrop: 0.05, maxStaleHitRate: 0 });
    const run = (recall: number, staleHitRate: number | null) => ({
      k: 6,
      score: { recall, staleHitRate } as never,
    });
    expect(judgeRecall(config, run(0.9, 0), 0.92)).toEqual([]);
    expect(judgeRecall(config, run(0.85, 0), 0.95)).toEqual([
      "recall@6 dropped from 95% to 85% since the last check",
    ]);
    expect(judgeRecall(config, run(0.5, 0.25), null)).toEqual([
      "recall@6 is 50%, below recall.minRecall 80%",
      "outdated facts reach agents: stale-hit rate 25% (recall.maxStaleHitRate 0%)",
    ]);
  });

  it("alerts when outdated facts reach agents, shows it in kb status, and resolves once the brain is fixed", async () => {
    const hook = await startWebhookServer();
    const ctx = makeContext({
      brain: {
        "finance/payments.md": doc(
          "- Adyen pays out on Tuesdays and Fridays.\n- Adyen pays out daily to the EUR account.\n- Klarna settles every Tuesday.",
        ),
      },
      config: {
        recall: { set: "./questions", minRecall: 0.5 },
        alerts: { webhook: hook.url, timeoutSeconds: 2, retries: 0 },
      },
    });
    makeTree({ "questions.yaml": questions }, join(ctx.root, "questions"));

    const first = await kbInProcess(["--as-of", "2026-11-24", "run", "nightly"], ctx.root);
    expect(first.code, first.stderr).toBe(3);
    expect(first.stdout).toMatch(
      /^ATTEND {2}recall — outdated facts reach agents: stale-hit rate 100% \(recall.maxStaleHitRate 0%\)$/m,
    );
    expect(hook.accepted().map((p) => p.text)).toEqual([
      expect.stringMatching(
        /^:mag: kb on test: recall check: outdated facts reach agents: stale-hit rate 100%/,
      ),
    ]);
    const status = await kbInProcess(["--as-of", "2026-11-24", "status"], ctx.root);
    expect(status.code).toBe(1);
    expect(status.stdout).toContain(
      "  recall check: outdated facts reach agents: stale-hit rate 100% (recall.maxStaleHitRate 0%)",
    );
    expect(status.stdout).toMatch(
      /^recall check .*: questions \(kb\): recall@6 100%, stale-hit rate 100%.*\n {2}outdated answers: adyen$/m,
    );

    writeFileSync(
      join(ctx.root, "brain/finance/payments.md"),
      doc("- Adyen pays out on Tuesdays and Fridays.\n- Klarna settles every Tuesday."),
    );
    const second = await kbInProcess(["--as-of", "2026-11-24", "run", "nightly"], ctx.root);
    expect(second.stdout).toMatch(/^ok {6}recall$/m);
    expect(hook.accepted().at(-1)?.text).toMatch(/^:white_check_mark: kb on test: recall check passes again/);
    const healthy = await kbInProcess(["--as-of", "2026-11-24", "--json", "status"], ctx.root);
    expect(JSON.parse(healthy.stdout).recall).toMatchObject({ recall: 1, staleHitRate: 0, problems: [] });

    // A cron host that runs jobs one by one checks with kb status --recall.
    writeFileSync(
      join(ctx.root, "brain/finance/payments.md"),
      doc("- Adyen pays out daily to the EUR account.\n- Klarna settles every Tuesday."),
    );
    const now = await kbInProcess(["--as-of", "2026-11-24", "status", "--recall"], ctx.root);
    expect(now.code).toBe(1);
    expect(now.stdout).toContain("  recall check: outdated facts reach agents: stale-hit rate 100%");
    expect(now.stdout).toMatch(/^recall check .*: questions \(kb\): recall@6 50%/m);
  }, 60_000);

  it("refuses kb status --recall without a question set", async () => {
    const ctx = makeContext({});
    const r = await kbInProcess(["status", "--recall"], ctx.root);
    expect([r.code, r.stderr]).toEqual([
      2,
      "kb status: --recall needs a question set: set recall.set in the config (see the README)\n",
    ]);
  }, 60_000);
});
