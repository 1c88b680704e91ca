import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BRAIN_PATTERN } from "../../src/agents/extra-paths.js";
import { brainRelative, livePattern, parseSearchOutput } from "../../src/eval/recall/engine-openclaw.js";
import { loadRecallSet, parseRecallQuestions } from "../../src/eval/recall/questions.js";
import { evalRecall } from "../../src/eval/recall/run.js";
import { type Retrieved, scoreQuestion, summarise } from "../../src/eval/recall/score.js";
import { kbInProcess, makeContext, makeTree, repoRoot, tempDir } from "../helpers/index.js";

const doc = (fm: string, body: string) => `---\n${fm}\n---\n\n${body}\n`;
const hit = (file: string, text: string): Retrieved => ({ text, file, tokens: 10 });

describe("kb eval recall: the math", () => {
  const q = (answer: string, stale: string[] = []) => ({ id: "q", question: "?", answer, stale });

  it("finds the answer in any case and spacing, and ranks the first right hit", () => {
    const s = scoreQuestion(q("Tuesdays and Fridays"), [
      hit("finance/a.md", "Klarna settles weekly."),
      hit("finance/b.md", "Adyen pays out on TUESDAYS  and fridays."),
    ]);
    expect([s.rank, s.staleFound, s.tokens]).toEqual([2, [], 20]);
  });

  it("counts a stale hit even when the right answer is there too", () => {
    const s = scoreQuestion(q("2027-01-15", ["2027-01-31"]), [
      hit("marketing/sale.md", "The winter sale ends on 2027-01-15."),
      hit("marketing/calendar.md", "The winter sale ends on 2027-01-31."),
    ]);
    expect([s.rank, s.staleFound]).toEqual([1, ["2027-01-31"]]);
  });

  it("counts an answer found only in _archive/ as a miss (and its old value as stale)", () => {
    const s = scoreQuestion(q("14 days", ["free for all"]), [
      hit(
        "_archive/customer-service/returns.md",
        "Returns are accepted within 14 days. Return labels were free for all customers.",
      ),
    ]);
    expect([s.rank, s.staleFound]).toEqual([null, ["free for all"]]);
  });

  it("averages recall, MRR, stale-hit rate over changed facts, and tokens", () => {
    const questions = [q("a"), q("b", ["old b"]), q("c", ["old c"]), q("d")];
    const scores = [
      scoreQuestion(questions[0]!, [hit("x.md", "a")]),
      scoreQuestion(questions[1]!, [hit("x.md", "zzz"), hit("y.md", "b"), hit("z.md", "old b")]),
      scoreQuestion(questions[2]!, [hit("x.md", "nothing")]),
      scoreQuestion(questions[3]!, []),
    ];
    expect(summarise(questions, scores)).toEqual({
      questions: 4,
      recall: 0.5,
      mrr: (1 + 0.5) / 4,
      changed: 2,
      staleHitRate: 0.5,
      unmarkedStaleHitRate: 0.5,
      tokensPerQuestion: (10 + 30 + 10 + 0) / 4,
      changedRecall: 0.5,
    });
  });
});

describe("kb eval recall: question sets", () => {
  it("names the file, line and key of a bad question", () => {
    expect(() =>
      parseRecallQuestions(
        "- id: a\n  question: q\n  answer: x\n- id: a\n  question: q\n  anwser: y\n",
        "/s/questions.yaml",
      ),
    ).toThrowErrorMatchingInlineSnapshot(`
      [UsageError: 2 problems in the question set:
        /s/questions.yaml:4: "1.answer" is missing; expected text
        /s/questions.yaml:6: "1.anwser" is not a known key; did you mean "answer"? Accepted keys: id, question, answer, stale, note.]
    `);
    expect(() =>
      parseRecallQuestions(
        "- id: a\n  question: q\n  answer: x\n- id: a\n  question: q\n  answer: y\n",
        "/s/q.yaml",
      ),
    ).toThrow(/\/s\/q.yaml:4: "1.id" "a" is used twice; ids must be unique/);
    expect(() => loadRecallSet(tempDir())).toThrow(
      /no questions.yaml in it \(a list of \{id, question, answer, stale\?\}/,
    );
  });

  it("the bundled set has at least 40 questions, a third of them about facts that changed", () => {
    const set = loadRecallSet(join(repoRoot, "evals/recall"));
    expect(set.questions.length).toBeGreaterThanOrEqual(40);
    const text = readFileSync(join(repoRoot, "evals/recall/questions.yaml"), "utf8");
    const changed = text.slice(0, text.indexOf("# Facts that did not change."));
    const changedIds = [...changed.matchAll(/^- id: (\S+)/gm)].map((m) => m[1]);
    expect(changedIds.length * 3).toBeGreaterThanOrEqual(set.questions.length);
  });
});

describe("kb eval recall with the kb engine", () => {
  const brain = {
    "finance/payments.md": doc(
      "title: Payments\nowner: '@lars'\nlast_reviewed: 2026-11-01",
      "## Payouts\n\n- Adyen pays out on Tuesdays and Fridays.\n- Klarna settles every Tuesday.",
    ),
    "marketing/calendar.md": doc(
      "title: Calendar\nowner: '@jonas'\nlast_reviewed: 2026-11-01",
      "## Sales\n\n- The winter sale ends on 2027-01-15.\n- The winter sale ends on 2027-01-31.",
    ),
    "_archive/customer-service/returns.md": doc(
      "title: Old",
      "## Returns\n\n- Return labels were free for all customers.",
    ),
  };
  const questions = `
- id: hit
  question: When does Adyen pay out?
  answer: Tuesdays and Fridays
- id: stale
  question: When does the winter sale end?
  answer: 2027-01-15
  stale: 2027-01-31
- id: archived
  question: Are return labels free?
  answer: free for all customers
- id: miss
  question: Who is the CEO?
  answer: Ingrid Dahl
`;

  it("scores a hit, a stale hit, an archived-only answer and a miss, and writes md and json reports", async () => {
    const ctx = makeContext({ brain });
    const set = makeTree({ "questions.yaml": questions }, tempDir());
    const r = await evalRecall(ctx, { set, engine: "kb", k: 3 });
    expect(r.questions.map((q) => [q.id, q.rank, q.staleFound])).toEqual([
      ["hit", 1, []],
      ["stale", 1, ["2027-01-31"]],
      ["archived", null, []],
      ["miss", null, []],
    ]);
    expect(r.score).toMatchObject({ questions: 4, recall: 0.5, mrr: 0.5, changed: 1, staleHitRate: 1 });

    const cli = await kbInProcess(
      ["--as-of", "2026-11-24", "eval", "recall", "--set", set, "--k", "3"],
      ctx.root,
    );
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(
      /^recall@3 50%, stale-hit rate 100% \(100% with no warning; 1 questions about changed facts\), MRR 0\.500, \d+ tokens read per question$/m,
    );
    expect(cli.stdout).toContain("missed: archived, miss\nstale hits: stale\n");
    const md = readFileSync(join(ctx.root, "reports/eval/recall-2026-11-24-kb.md"), "utf8");
    expect(md).toContain("| archived | miss |  |");
    const json = JSON.parse(readFileSync(join(ctx.root, "reports/eval/recall-2026-11-24-kb.json"), "utf8"));
    expect(json.score.recall).toBe(0.5);

    const bad = await kbInProcess(["eval", "recall", "--set", set, "--engine", "grep"], ctx.root);
    expect([bad.code, bad.stderr]).toEqual([
      2,
      'kb eval: --engine "grep" is not valid; expected kb or openclaw\n',
    ]);
    const noCmd = await kbInProcess(["eval", "recall", "--set", set, "--engine", "openclaw"], ctx.root, {
      ...process.env,
      KB_OPENCLAW: "",
    });
    expect(noCmd.code).toBe(2);
    expect(noCmd.stderr).toMatch(/--engine openclaw needs the command that runs OpenClaw/);
  });
});

describe("kb eval recall: reading OpenClaw", () => {
  it("maps OpenClaw's workspace-relative paths back to the brain and keeps others as given", () => {
    const out = `[memory] ready\n${JSON.stringify({
      results: [
        {
          path: "../../../srv/kb/brain/finance/payments.md",
          startLine: 3,
          snippet: "- Adyen pays out daily.",
        },
        { path: "../../../../../srv/kb/brain/_archive/finance/payments.md", startLine: 1, snippet: "old" },
        { path: "MEMORY.md", startLine: 1, snippet: "notes" },
      ],
    })}`;
    expect(
      parseSearchOutput(out, "/srv/kb/brain", "/home/agent/.openclaw/workspace").map((h) => [h.file, h.line]),
    ).toEqual([
      ["finance/payments.md", 3],
      ["_archive/finance/payments.md", 1],
      ["MEMORY.md", 1],
    ]);
    expect(brainRelative("../../brain/a.md", "/srv/kb/brain", "/srv/kb/state/home")).toBe("a.md");
    expect(() => parseSearchOutput("no json here", "/b", "/w")).toThrow(/printed no JSON/);
  });

  it("writes the live-tree pattern, naming top-level entries when the config ignores one", () => {
    const brain = makeTree(
      { "README.md": "x", "index.md": "x", "hr/a.md": "x", "_archive/b.md": "x", ".drafts/c.md": "x" },
      tempDir(),
    );
    expect(livePattern(brain, [])).toBe(BRAIN_PATTERN);
    expect(livePattern(brain, ["*.txt"])).toBe(BRAIN_PATTERN);
    expect(livePattern(brain, ["README.md"])).toBe("{index.md,hr/**/*.md}");
    expect(livePattern(brain, ["hr/**"])).toBe("{README.md,index.md}");
  });
});

describe("kb eval recall on the bundled brain and set", () => {
  it("finds every fact that did not change, and none of the updates the sample logs carry before mining", async () => {
    const ctx = makeContext({
      config: { brain: join(repoRoot, "brain"), ignore: ["README.md"] },
    });
    const r = await evalRecall(ctx, { set: join(repoRoot, "evals/recall"), engine: "kb", k: 6 });
    const text = readFileSync(join(repoRoot, "evals/recall/questions.yaml"), "utf8");
    const idsIn = (from: string, to: string) =>
      [...text.slice(text.indexOf(from), to ? text.indexOf(to) : undefined).matchAll(/^- id: (\S+)/gm)].map(
        (m) => m[1],
      );
    const stable = idsIn("# Facts that did not change.", "");
    const fresh = idsIn("# New facts from the sample logs", "# Launch-affected wording");
    const found = new Set(r.questions.filter((q) => q.rank !== null).map((q) => q.id));
    expect(stable.filter((id) => !found.has(id!))).toEqual([]);
    expect(fresh.filter((id) => found.has(id!))).toEqual([]);
    expect(
      r.questions
        .flatMap((q) => q.hits)
        .some((h) => h.file.startsWith("_archive/") || h.file === "README.md"),
    ).toBe(false);
  });
});
