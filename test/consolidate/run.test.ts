import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { kbInProcess, makeTree } from "../helpers/index.js";

/** A brain in its own git repository, committed at `date`, with a kb config beside it. */
function brainRepo(
  files: Record<string, string>,
  options: { date?: string; mode?: "review" | "apply" } = {},
) {
  const mine = options.mode === "review" ? "" : "mine: { mode: apply }\n";
  const root = makeTree({
    "kb.config.yaml": `host: test\nbrain: ./brain\nstate: ./state\nreports: ./reports\n${mine}`,
    ...Object.fromEntries(Object.entries(files).map(([p, t]) => [`brain/${p}`, t])),
  });
  const brain = join(root, "brain");
  git(brain, ["init", "-q", "--initial-branch=main"]);
  commit(brain, "the brain as it was", options.date ?? "2026-10-01T09:00:00Z");
  const kb = (...args: string[]) => kbInProcess(["--config", join(root, "kb.config.yaml"), ...args], root);
  const read = (p: string) => readFileSync(join(brain, p), "utf8");
  const edit = (p: string, from: string, to: string, date: string) => {
    writeFileSync(join(brain, p), read(p).replace(from, to));
    commit(brain, `edit ${p}`, date);
  };
  return { root, brain, kb, read, edit };
}

function git(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, ...env } });
}

function commit(cwd: string, message: string, date: string): void {
  git(cwd, ["add", "-A"]);
  const env = { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
  git(cwd, ["-c", "user.name=Maja", "-c", "user.email=maja@example.com", "commit", "-q", "-m", message], env);
}

const doc = (title: string, ...facts: string[]) =>
  `---\nowner: "@maja.hr"\n---\n\n# ${title}\n\n## Facts\n\n${facts.map((f) => `- ${f}\n`).join("")}`;

describe("kb consolidate", () => {
  it("archives a copy a person left unchanged when they changed the value in another file; touches nothing else; kb undo restores it", async () => {
    const onboarding = doc(
      "Onboarding",
      "Staff get 30% off full-price items.",
      "Friends and family get 30% off full-price items during the spring event.",
    );
    const b = brainRepo({
      "hr/onboarding.md": onboarding,
      "hr/benefits.md": doc("Benefits", "Staff get 30% off full-price items."),
    });
    b.edit("hr/benefits.md", "30%", "40%", "2026-11-20T10:00:00Z");

    const out = await b.kb("--as-of", "2026-11-24", "--json", "consolidate");
    expect(out.code, out.stderr).toBe(0);
    const r = JSON.parse(out.stdout);
    expect(r.applied).toMatchObject([
      {
        path: "hr/onboarding.md",
        old: "Staff get 30% off full-price items.",
        rewritten: null,
        current: { path: "hr/benefits.md", text: "Staff get 40% off full-price items." },
        rule: "changed",
        archivedTo: "_archive/hr/onboarding.md",
      },
    ]);
    expect(r.applied[0].why).toMatch(
      /^commit [0-9a-f]{7} by Maja on 2026-11-20 changed “Staff get 30% off full-price items\.” to “Staff get 40% off full-price items\.” in hr\/benefits\.md/,
    );
    // Only the superseded line left the file (and `updated:` was set); the look-alike is byte-identical.
    expect(b.read("hr/onboarding.md")).toBe(
      onboarding
        .replace("- Staff get 30% off full-price items.\n", "")
        .replace('owner: "@maja.hr"\n', 'owner: "@maja.hr"\nupdated: 2026-11-24\n'),
    );
    expect(b.read("_archive/hr/onboarding.md")).toContain(
      `## Superseded 2026-11-24\n\n- Staff get 30% off full-price items. <!-- kb:superseded-by hr/benefits.md "Staff get 40% off full-price items." -->\n`,
    );
    expect(git(b.brain, ["log", "-1", "--format=%an %s"])).toBe(
      "kb consolidate kb consolidate: 1 superseded statement(s)\n",
    );
    expect(git(b.brain, ["status", "--porcelain"])).toBe("");

    const why = await b.kb("why", "_archive/hr/onboarding.md:10");
    expect(why.stdout, why.stderr).toContain("evidence (changed): commit");

    const again = await b.kb("--as-of", "2026-11-24", "--json", "consolidate");
    expect(JSON.parse(again.stdout)).toMatchObject({ conflicts: 0, applied: [] });

    const undo = await b.kb("undo", String(r.runId));
    expect(undo.code, undo.stdout + undo.stderr).toBe(0);
    expect(b.read("hr/onboarding.md")).toBe(onboarding);
    expect(b.read("_archive/hr/onboarding.md")).not.toContain("Staff get 30%");
  });

  it("rewrites a statement that says more than the value, and archives its old text", async () => {
    const b = brainRepo({
      "company/people.md": doc("People", "Lars Berg is the CEO."),
      "hr/onboarding.md": doc("Onboarding", "New starters meet Lars Berg, the CEO, in their first week."),
    });
    b.edit("company/people.md", "Lars Berg is the CEO.", "Ingrid Dahl is the CEO.", "2026-11-10T10:00:00Z");
    const out = await b.kb("--as-of", "2026-11-24", "--json", "consolidate");
    expect(out.code, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout).applied).toMatchObject([
      {
        path: "hr/onboarding.md",
        old: "New starters meet Lars Berg, the CEO, in their first week.",
        rewritten: "New starters meet Ingrid Dahl, the CEO, in their first week.",
        rule: "changed",
      },
    ]);
    expect(b.read("hr/onboarding.md")).toContain(
      "- New starters meet Ingrid Dahl, the CEO, in their first week.\n",
    );
    expect(b.read("_archive/hr/onboarding.md")).toContain(
      "- New starters meet Lars Berg, the CEO, in their first week. <!-- kb:superseded-by",
    );
  });

  it("switches a dated value on its date and not before; search stops returning the old value on that date", async () => {
    const b = brainRepo({
      "hr/payroll.md": doc("Payroll", "Seasonal staff earn at least NOK 195 per hour."),
      "hr/seasonal.md": doc(
        "Seasonal staff",
        "From 2026-12-07 seasonal staff earn at least NOK 210 per hour.",
      ),
    });
    const before = await b.kb("--as-of", "2026-12-06", "--json", "consolidate");
    expect(JSON.parse(before.stdout)).toMatchObject({
      applied: [],
      contested: [],
      scheduled: [{ current: { path: "hr/payroll.md" }, next: { path: "hr/seasonal.md" }, on: "2026-12-07" }],
    });
    const search = async (asOf: string) =>
      JSON.parse(
        (await b.kb("--as-of", asOf, "--json", "search", "seasonal staff earn per hour")).stdout,
      ).hits.map((h: { text: string }) => h.text);
    expect(await search("2026-12-06")).toContain("Seasonal staff earn at least NOK 195 per hour.");
    // On the date, before the nightly run has archived it, the read path already drops the old value.
    expect(await search("2026-12-07")).not.toContain("Seasonal staff earn at least NOK 195 per hour.");

    const on = await b.kb("--as-of", "2026-12-07", "--json", "consolidate");
    expect(JSON.parse(on.stdout).applied).toMatchObject([
      {
        path: "hr/payroll.md",
        old: "Seasonal staff earn at least NOK 195 per hour.",
        rule: "effective-date",
      },
    ]);
    expect(b.read("hr/payroll.md")).not.toContain("NOK 195");
  });

  it("puts a contradiction no evidence settles in front of a person: status, search and audit say so; kb settle keeps one side", async () => {
    const b = brainRepo({
      "marketing/calendar.md": doc("Calendar", "The newsletter goes out on Thursdays at 07:00."),
      "customer-service/faq.md": doc("FAQ", "The newsletter goes out on Wednesdays at 07:00."),
    });
    const out = await b.kb("--as-of", "2026-11-24", "consolidate");
    expect(out.code).toBe(3);
    expect(out.stdout).toContain(
      "#1: “The newsletter goes out on Wednesdays at 07:00.” (customer-service/faq.md:9) vs “The newsletter goes out on Thursdays at 07:00.” (marketing/calendar.md:9)",
    );
    const status = await b.kb("--as-of", "2026-11-24", "status");
    expect(status.code, "content for a person, not an unhealthy host").toBe(0);
    expect(status.stdout).toContain("contradictions for a person (1)");
    const hits = JSON.parse(
      (await b.kb("--as-of", "2026-11-24", "--json", "search", "newsletter")).stdout,
    ).hits;
    expect(hits.map((h: { contested: string | null }) => h.contested)).toEqual([
      expect.stringMatching(/^CONTESTED \(#1\): “The newsletter goes out on (Wednesdays|Thursdays)/),
      expect.stringMatching(/^CONTESTED \(#1\)/),
    ]);
    await b.kb("--as-of", "2026-11-24", "audit", "--fail-on", "never");
    expect(readFileSync(join(b.root, "reports/audit-2026-11-24.md"), "utf8")).toContain(
      "## Contradictions for a person",
    );

    const wrong = await b.kb("settle", "1", "--keep", "marketing/other.md:3");
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("expected customer-service/faq.md:9 or marketing/calendar.md:9");
    const settle = await b.kb("--as-of", "2026-11-24", "settle", "1", "--keep", "customer-service/faq.md:9");
    expect(settle.code, settle.stderr).toBe(0);
    expect(b.read("marketing/calendar.md")).not.toContain("Thursdays");
    expect(b.read("_archive/marketing/calendar.md")).toContain("Thursdays");
    const healthy = await b.kb("--as-of", "2026-11-24", "--json", "status");
    expect(JSON.parse(healthy.stdout).contested).toEqual([]);
    const next = await b.kb("--as-of", "2026-11-24", "--json", "consolidate");
    expect(JSON.parse(next.stdout)).toMatchObject({ conflicts: 0, contested: [] });
  });

  it("in review mode proposes on a branch once; a rejected proposal comes back as an item for a person", async () => {
    const b = brainRepo(
      {
        "customer-service/shipping.md": doc("Shipping", "Free EU shipping above €50."),
        "finance/shipping.md": doc("Shipping", "Free EU shipping above €50."),
      },
      { mode: "review" },
    );
    b.edit("finance/shipping.md", "€50", "€60", "2026-11-20T10:00:00Z");
    const first = JSON.parse((await b.kb("--as-of", "2026-11-24", "--json", "consolidate")).stdout);
    expect(first).toMatchObject({
      branch: "kb/consolidate/2026-11-24-test",
      applied: [{ path: "customer-service/shipping.md" }],
    });
    expect(b.read("customer-service/shipping.md")).toContain("€50");
    const second = JSON.parse((await b.kb("--as-of", "2026-11-25", "--json", "consolidate")).stdout);
    expect(second).toMatchObject({ applied: [], pending: 1, branch: null });

    const rejected = await b.kb("reject", "kb/consolidate/2026-11-24-test");
    expect(rejected.code, rejected.stderr).toBe(0);
    const third = JSON.parse((await b.kb("--as-of", "2026-11-26", "--json", "consolidate")).stdout);
    expect(third.applied).toEqual([]);
    expect(third.contested).toMatchObject([{ why: expect.stringContaining("closed without merging") }]);
  });

  it("accepting the review branch applies it; the next run has nothing left to do", async () => {
    const b = brainRepo(
      {
        "customer-service/faq.md": doc("FAQ", "SS26 is our latest collection."),
        "company/collections.md": doc("Collections", "SS26 is our latest collection."),
      },
      { mode: "review" },
    );
    b.edit("company/collections.md", "SS26 is", "FW26 is", "2026-12-01T10:00:00Z");
    const first = JSON.parse((await b.kb("--as-of", "2026-12-01", "--json", "consolidate")).stdout);
    const accept = await b.kb("accept", first.branch);
    expect(accept.code, accept.stderr).toBe(0);
    expect(b.read("customer-service/faq.md")).not.toContain("SS26 is our latest collection.");
    const next = JSON.parse((await b.kb("--as-of", "2026-12-02", "--json", "consolidate")).stdout);
    expect(next).toMatchObject({ conflicts: 0, applied: [], contested: [] });
  });
});

describe("kb consolidate words a rewrite with the model when one is configured", () => {
  const brainWithLlm = async (reply: (prompt: string) => unknown) => {
    const { startOpenAiServer, reply: answer } = await import("../helpers/openai-server.js");
    const llm = await startOpenAiServer({
      writer: (req) =>
        answer(reply((req.body.messages as { content: string }[]).map((m) => m.content).join("\n"))),
    });
    const b = brainRepo({
      "company/people.md": doc("People", "Lars Berg is the CEO."),
      "hr/onboarding.md": doc("Onboarding", "New starters meet Lars Berg, the CEO, in their first week."),
    });
    writeFileSync(
      join(b.root, "kb.config.yaml"),
      `${readFileSync(join(b.root, "kb.config.yaml"), "utf8")}llm: { baseUrl: "${llm.url}", models: [writer], apiKeyEnv: KB_WRITER_KEY }\n`,
    );
    process.env.KB_WRITER_KEY = "not-a-secret";
    b.edit("company/people.md", "Lars Berg is the CEO.", "Ingrid Dahl is the CEO.", "2026-11-10T10:00:00Z");
    return { b, llm };
  };

  it("takes the model's wording, shown the two facts as kb mine numbers them, when it passes the checks", async () => {
    const { b, llm } = await brainWithLlm(() => ({
      ops: [
        {
          op: "supersede",
          id: 1,
          text: "In their first week, new starters meet Ingrid Dahl, the CEO.",
          evidence: "Ingrid Dahl is the CEO",
        },
      ],
    }));
    const out = await b.kb("--as-of", "2026-11-24", "--json", "consolidate");
    expect(out.code, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout).applied[0].rewritten).toBe(
      "In their first week, new starters meet Ingrid Dahl, the CEO.",
    );
    const prompt = (llm.requests[0]!.body.messages as { content: string }[])[1]!.content;
    expect(prompt).toContain(
      "1. [hr/onboarding.md > Onboarding > Facts] New starters meet Lars Berg, the CEO, in their first week.",
    );
    expect(prompt).toContain("2. [company/people.md > People > Facts] Ingrid Dahl is the CEO.");
  });

  it("keeps its own substitution when the model adds a name neither fact gives", async () => {
    const { b } = await brainWithLlm(() => ({
      ops: [
        {
          op: "supersede",
          id: 1,
          text: "New starters meet Ingrid Dahl, the CEO, and Per Olsen in their first week.",
          evidence: "Ingrid Dahl is the CEO",
        },
      ],
    }));
    const out = await b.kb("--as-of", "2026-11-24", "--json", "consolidate");
    expect(JSON.parse(out.stdout).applied[0].rewritten).toBe(
      "New starters meet Ingrid Dahl, the CEO, in their first week.",
    );
  });
});
