import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { inOtherPass, makeTree, runKb, skipping } from "../helpers/index.js";
import { reply, startOpenAiServer } from "../helpers/openai-server.js";

/**
 * A brain over six simulated weeks, as an owner runs it: each changing fact stated in two or three
 * files of different agents' folders, in different words, beside look-alikes; changes arrive from a
 * session log, an owner's hand edit and an effective date, some twice; two contradictions nothing
 * can settle. Every night `kb run nightly` runs and the owner accepts every review branch kb opens.
 */
const doc = (title: string, ...facts: string[]) =>
  `---\nowner: "@owner"\n---\n\n# ${title}\n\n## Facts\n\n${facts.map((f) => `- ${f}\n`).join("")}`;

const LOOK_ALIKES = [
  "Friends and family get 30% off full-price items during the spring event.",
  "Vipps pays out every business day.",
  "Free Norway shipping above NOK 600.",
  "The Oslo store opens at 10:00 on Mondays.",
  "The Oslo store opens at 10:00 on Saturdays.",
  "Love Me Do was performed by The Beatles.",
  "Love You To was performed by The Beatles.",
  "The CEO reports to the board, chaired by Kari Solheim.",
];

const BRAIN: Record<string, string> = {
  "customer-service/policies/shipping.md": doc("Shipping", "Free EU shipping above €50.", LOOK_ALIKES[2]!),
  "customer-service/faq.md": doc(
    "FAQ",
    "Shipping to the EU is free above €50.",
    "The newsletter goes out on Thursdays at 07:00 to every Finch Club member.",
  ),
  "finance/shipping.md": doc("Shipping", "Free EU shipping above €50.", LOOK_ALIKES[1]!),
  "company/people.md": doc("People", "Lars Berg is the CEO.", LOOK_ALIKES[7]!),
  "company/org-chart.md": doc("Org chart", "Lars Berg is the company's CEO."),
  "hr/onboarding.md": doc(
    "Onboarding",
    "New starters meet Lars Berg, the CEO, in their first week.",
    "Staff get 30% off full-price items.",
    LOOK_ALIKES[0]!,
  ),
  "hr/benefits.md": doc("Benefits", "Staff get 40% off full-price items."),
  "hr/payroll.md": doc("Payroll", "Seasonal staff earn at least NOK 195 per hour."),
  "retail/staffing.md": doc(
    "Staffing",
    "Seasonal staff earn at least NOK 195 per hour during the winter sale.",
  ),
  "retail/stores.md": doc("Opening hours", LOOK_ALIKES[3]!, LOOK_ALIKES[4]!),
  "marketing/calendar.md": doc(
    "Calendar",
    "The newsletter goes out on Thursdays at 07:00.",
    "The winter sale ends on 2027-01-31.",
  ),
  "marketing/winter-sale.md": doc(
    "Winter sale",
    "The winter sale ends on 2027-01-15.",
    LOOK_ALIKES[5]!,
    LOOK_ALIKES[6]!,
  ),
};

function git(cwd: string, args: string[], date?: string): string {
  const env = date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {};
  return execFileSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, ...env } });
}

/** An OpenClaw session transcript (v3 JSONL) of one exchange. */
function session(id: string, at: string, user: string, assistant: string): string {
  const ms = Date.parse(at);
  const line = (o: unknown) => `${JSON.stringify(o)}\n`;
  return (
    line({ type: "session", version: 3, id, timestamp: at, cwd: "/srv/agents/finance" }) +
    line({
      type: "message",
      id: `${id}-u`,
      parentId: null,
      timestamp: at,
      message: { role: "user", content: [{ type: "text", text: user }], timestamp: ms },
    }) +
    line({
      type: "message",
      id: `${id}-a`,
      parentId: `${id}-u`,
      timestamp: new Date(ms + 2000).toISOString(),
      message: {
        role: "assistant",
        content: [{ type: "text", text: assistant }],
        stopReason: "stop",
        timestamp: ms + 2000,
      },
    })
  );
}

/** The scripted model: supersedes the finance agent's own copy of a value the log changes, when it is shown it. */
const CHANGES = [
  {
    when: "starts at €60",
    old: "Free EU shipping above €50.",
    text: "Free EU shipping above €60.",
    quote: "from today free EU shipping starts at €60",
  },
  {
    when: "goes up to €70",
    old: "Free EU shipping above €60.",
    text: "Free EU shipping above €70.",
    quote: "the free EU shipping threshold goes up to €70",
  },
];
function extractor(body: Record<string, unknown>) {
  const prompt = (body.messages as { content: string }[]).map((m) => m.content).join("\n");
  const ops = [];
  for (const c of CHANGES) {
    if (!prompt.includes(c.when)) continue;
    const shown = [...prompt.matchAll(/^(\d+)\. \[finance\/[^\]]*\] (.*)$/gm)].find((m) => m[2] === c.old);
    ops.push(
      shown
        ? { op: "supersede", id: Number(shown[1]), text: c.text, evidence: c.quote }
        : { op: "add", path: "finance/shipping.md", section: "Facts", text: c.text, evidence: c.quote },
    );
  }
  return reply({ ops: ops.length > 0 ? ops : [{ op: "noop" }] });
}

describe.skipIf(skipping("one current truth over six weeks", inOtherPass("long")))(
  "one current truth over six weeks",
  () => {
    it("leaves no replaced value live or in search, keeps every look-alike, switches on the date, and puts the two undecidable pairs before a person", async () => {
      const llm = await startOpenAiServer({ extractor: (req) => extractor(req.body) });
      const root = makeTree({
        "kb.config.yaml": [
          "host: test",
          "brain: ./brain",
          "state: ./state",
          "reports: ./reports",
          `llm: { baseUrl: "${llm.url}", models: [extractor], apiKeyEnv: KB_SCENARIO_KEY }`,
          "mine:",
          "  sources: [{ agent: finance, kind: openclaw-jsonl, path: ./logs }]",
          "",
        ].join("\n"),
        ...Object.fromEntries(Object.entries(BRAIN).map(([p, t]) => [`brain/${p}`, t])),
        "logs/.keep": "",
      });
      const brain = join(root, "brain");
      git(brain, ["init", "-q", "--initial-branch=main"]);
      git(brain, ["add", "-A"]);
      git(
        brain,
        ["-c", "user.name=Owner", "-c", "user.email=o@example.com", "commit", "-qm", "the brain"],
        "2026-09-01T09:00:00Z",
      );
      const read = (p: string) => readFileSync(join(brain, p), "utf8");
      const handEdit = (p: string, from: string, to: string, date: string) => {
        expect(read(p)).toContain(from);
        writeFileSync(join(brain, p), read(p).replace(from, to));
        git(
          brain,
          ["-c", "user.name=Owner", "-c", "user.email=o@example.com", "commit", "-qam", `edit ${p}`],
          date,
        );
      };
      const kb = (night: string, ...args: string[]) =>
        runKb(["--config", join(root, "kb.config.yaml"), "--as-of", night, ...args], {
          env: {
            KB_SCENARIO_KEY: "not-a-secret",
            GIT_AUTHOR_DATE: `${night}T04:00:00Z`,
            GIT_COMMITTER_DATE: `${night}T04:00:00Z`,
          },
          timeoutMs: 120_000,
        });
      /** One night: the pipeline, then the owner accepts every review branch. */
      const night = async (date: string) => {
        const run = await kb(date, "run", "nightly");
        expect([0, 3], `${date}: ${run.stdout}\n${run.stderr}`).toContain(run.code);
        const branches = git(brain, ["branch", "--list", "--format=%(refname:short)", "kb/*"])
          .split("\n")
          .filter(Boolean);
        for (const b of branches) {
          const accepted = await kb(date, "accept", b);
          expect(accepted.code, accepted.stderr).toBe(0);
        }
        return branches;
      };
      const live = () =>
        readdirSync(brain, { recursive: true })
          .map(String)
          .filter((p) => p.endsWith(".md") && !p.startsWith("_archive") && !p.startsWith(".git"))
          .map((p) => read(p))
          .join("\n");

      await night("2026-09-08");
      // Week 1: a session log, an owner's hand edit, a value with an effective date.
      writeFileSync(
        join(root, "logs/s1.jsonl"),
        session(
          "s1",
          "2026-09-10T09:00:00.000Z",
          "Finance update: from today free EU shipping starts at €60 instead of €50.",
          "Noted: free EU shipping now starts above €60.",
        ),
      );
      handEdit("marketing/calendar.md", "on Thursdays", "on Wednesdays", "2026-09-11T10:00:00Z");
      handEdit(
        "hr/payroll.md",
        "per hour.\n",
        "per hour.\n- From 2026-09-29 seasonal staff earn at least NOK 210 per hour.\n",
        "2026-09-12T10:00:00Z",
      );
      await night("2026-09-15");
      await night("2026-09-22");
      // Not before its date.
      expect(read("hr/payroll.md")).toContain("- Seasonal staff earn at least NOK 195 per hour.\n");
      // Week 3: the CEO changes by hand; the newsletter and the shipping threshold change a second time.
      handEdit(
        "company/people.md",
        "Lars Berg is the CEO.",
        "Ingrid Dahl is the CEO.",
        "2026-09-24T10:00:00Z",
      );
      handEdit("marketing/calendar.md", "on Wednesdays", "on Tuesdays", "2026-09-25T10:00:00Z");
      writeFileSync(
        join(root, "logs/s2.jsonl"),
        session(
          "s2",
          "2026-09-26T09:00:00.000Z",
          "From today the free EU shipping threshold goes up to €70.",
          "Understood, €70 from today.",
        ),
      );
      for (const date of ["2026-09-29", "2026-10-06", "2026-10-13"]) await night(date);
      expect(await night("2026-10-20"), "kb has nothing left to propose").toEqual([]);

      const text = live();
      for (const old of ["€50", "€60", "Lars Berg", "NOK 195", "Thursdays", "Wednesdays"])
        expect(
          text,
          text
            .split("\n")
            .filter((l) => l.includes(old))
            .join("\n"),
        ).not.toContain(old);
      expect(read("finance/shipping.md")).toContain("Free EU shipping above €70.");
      expect(read("company/people.md")).toContain("- Ingrid Dahl is the CEO.\n");
      expect(read("hr/onboarding.md")).toContain(
        "- New starters meet Ingrid Dahl, the CEO, in their first week.\n",
      );
      expect(read("hr/payroll.md")).toContain(
        "- From 2026-09-29 seasonal staff earn at least NOK 210 per hour.\n",
      );
      expect(read("retail/staffing.md")).toContain(
        "- Seasonal staff earn at least NOK 210 per hour during the winter sale.\n",
      );
      expect(read("marketing/calendar.md")).toContain("- The newsletter goes out on Tuesdays at 07:00.\n");
      expect(read("customer-service/faq.md")).toContain(
        "- The newsletter goes out on Tuesdays at 07:00 to every Finch Club member.\n",
      );
      for (const f of LOOK_ALIKES) expect(text).toContain(`- ${f}\n`);
      expect(read("_archive/customer-service/policies/shipping.md")).toContain("Free EU shipping above €50.");

      // Both undecidable pairs are in front of a person, and both sides stay live.
      const status = JSON.parse((await kb("2026-10-20", "--json", "status")).stdout);
      expect(
        status.contested.map((c: { a: { text: string }; b: { text: string } }) =>
          [c.a.text, c.b.text].sort(),
        ),
      ).toEqual([
        ["Staff get 30% off full-price items.", "Staff get 40% off full-price items."],
        ["The winter sale ends on 2027-01-15.", "The winter sale ends on 2027-01-31."],
      ]);
      for (const f of ["Staff get 30% off", "Staff get 40% off", "ends on 2027-01-15", "ends on 2027-01-31"])
        expect(text).toContain(f);

      // What agents retrieve: no replaced value in the top 6.
      for (const q of [
        "free EU shipping threshold",
        "who is the CEO",
        "seasonal staff hourly wage",
        "when does the newsletter go out",
      ]) {
        const hits = JSON.parse((await kb("2026-10-20", "--json", "search", q)).stdout).hits as {
          text: string;
        }[];
        const found = hits.map((h) => h.text).join("\n");
        for (const old of ["€50", "€60", "Lars Berg", "NOK 195", "Thursdays", "Wednesdays"])
          expect(found, q).not.toContain(old);
      }
    }, 240_000);
  },
);
