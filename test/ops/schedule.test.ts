import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { userInfo } from "node:os";
import { dirname, isAbsolute, join } from "node:path";
import { CronExpressionParser, CronFileParser } from "cron-parser";
import { describe, expect, it } from "vitest";
import { jobs } from "../../jobs/index.js";
import { JOB_NAMES } from "../../src/config/sections/ops.js";
import {
  type LaunchdInterval,
  toOnCalendar,
  toStartCalendarInterval,
} from "../../src/ops/schedule/calendar.js";
import { type CronSpec, parseCron } from "../../src/ops/schedule/cron.js";
import type { RenderedSchedule } from "../../src/ops/schedule/index.js";
import { kbInProcess, makeTree, repoRoot, runKb, skipping, tempDir } from "../helpers/index.js";

const has = (tool: string) => spawnSync("sh", ["-c", `command -v ${tool}`]).status === 0;
const SYSTEMD_ANALYZE = has("systemd-analyze");

/** kb in-process, with no KB_CONFIG inherited from the environment. */
const kb = (args: string[], cwd: string) => kbInProcess(args, cwd, { ...process.env, KB_CONFIG: "" });

/** `kb schedule --json` for a config; the rendered schedule. */
async function schedule(config: string, format: string, extra: string[] = []): Promise<RenderedSchedule> {
  const dir = makeTree({ "kb.config.yaml": config });
  const r = await kb(["schedule", "--format", format, "--json", ...extra], dir);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as RenderedSchedule;
}

const FLEET = `host: vps
state: ./state
sync:
  hub: ssh://git@hub.example/brain.git
mine:
  sources:
    - { agent: finance, kind: openclaw, path: ./logs/finance }
llm:
  baseUrl: http://127.0.0.1:11434/v1
  models: [qwen3:8b]
dedup:
  scopes:
    - { name: company, paths: "company/**" }
    - { name: finance, paths: "finance/**" }
    - { name: hr, paths: "hr/**", at: "0 2 * * 1-5" }
    - { name: retail, paths: "retail/**" }
`;

describe("parseCron", () => {
  const fields = (s: CronSpec) => [s.minute, s.hour, s.dayOfMonth, s.month, s.dayOfWeek, s.dayOr];
  it.each([
    ["*/30 * * * *", [[0, 30], null, null, null, null, false]],
    ["0 6 1 1,4,7,10 *", [[0], [6], [1], [1, 4, 7, 10], null, false]],
    ["45 3 * * *", [[45], [3], null, null, null, false]],
    ["0 9-17/4 * * mon-fri", [[0], [9, 13, 17], null, null, [1, 2, 3, 4, 5], false]],
    ["0 0 * * 7", [[0], [0], null, null, [0], false]],
    ["0 0 * * 0-7", [[0], [0], null, null, null, false]],
    ["0-59 * 1-31 * *", [null, null, null, null, null, false]],
    ["0 0 1,15 * 1", [[0], [0], [1, 15], null, [1], true]],
    // crontab(5): a field "restricted" means it does not start with "*", so */2 is not
    [
      "0 0 */2 * 1",
      [[0], [0], [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31], null, [1], false],
    ],
    ["  15   2 * jan,jul sun ", [[15], [2], null, [1, 7], [0], false]],
  ])("%s", (expression, expected) => {
    expect(fields(parseCron(expression, "schedule.sync"))).toEqual(expected);
  });

  it("refuses what systemd and launchd cannot express, naming the key and the field", () => {
    const problem = (expression: string) => {
      try {
        parseCron(expression, "schedule.mine");
        return "accepted";
      } catch (error) {
        return (error as Error).message.replace(/; expected five fields.*/, "");
      }
    };
    expect(
      [
        "61 * * * *",
        "0 24 * * *",
        "0 0 L * *",
        "0 0 * * 1#2",
        "0 0 15W * *",
        "0 0 ? * *",
        "H 0 * * *",
        "*/10 * * * * *",
        "@daily",
        "0 0 * *",
        "0 0 30 2 *",
        "0 0 * foo *",
        "mon * * * *",
        "*/0 * * * *",
        "0 0 * * 8",
        "0 22-2 * * *",
      ].map(problem),
    ).toMatchInlineSnapshot(`
      [
        ""schedule.mine" is "61 * * * *": minute 61 is outside 0-59",
        ""schedule.mine" is "0 24 * * *": hour 24 is outside 0-23",
        ""schedule.mine" is "0 0 L * *": "L" in the day-of-month field is a cron extension that systemd and launchd cannot express",
        ""schedule.mine" is "0 0 * * 1#2": "#" in the day-of-week field is a cron extension that systemd and launchd cannot express",
        ""schedule.mine" is "0 0 15W * *": "W" in the day-of-month field is a cron extension that systemd and launchd cannot express",
        ""schedule.mine" is "0 0 ? * *": "?" in the day-of-month field is a cron extension that systemd and launchd cannot express",
        ""schedule.mine" is "H 0 * * *": "H" in the minute field is a cron extension that systemd and launchd cannot express",
        ""schedule.mine" is "*/10 * * * * *": a leading seconds field works only under kb daemon; cron, systemd and launchd start jobs by the minute",
        ""schedule.mine" is "@daily": nicknames such as @daily are not accepted",
        ""schedule.mine" is "0 0 * *": it has 4 fields, not 5",
        ""schedule.mine" is "0 0 30 2 *": that day of the month never occurs in the months given",
        ""schedule.mine" is "0 0 * foo *": "foo" is not valid in the month field",
        ""schedule.mine" is "mon * * * *": "mon" is not valid in the minute field",
        ""schedule.mine" is "*/0 * * * *": the step "/0" in the minute field must be a whole number from 1",
        ""schedule.mine" is "0 0 * * 8": day-of-week 8 is outside 0-7",
        ""schedule.mine" is "0 22-2 * * *": the range 22-2 runs backwards (cron ranges do not wrap around)",
      ]
    `);
  });
});

/** Expressions whose firings every converter must reproduce exactly. */
const BATTERY = [
  "*/30 * * * *",
  "45 3 * * *",
  "0 6 1 1,4,7,10 *",
  "*/15 * * * *",
  "5,35 */6 * * *",
  "0 9-17 * * 1-5",
  "0 0 1,15 * 1",
  "30 2 * * 0,6",
  "0 0 */2 * 1",
  "10 4 28 2 *",
  "0 12 * jan,jun,dec sun",
];

/** The next `n` firings after `from` by cron-parser's rules, in UTC, as ISO minutes. */
function cronFirings(expression: string, from: string, n: number): string[] {
  const it = CronExpressionParser.parse(expression, { currentDate: new Date(from), tz: "UTC" });
  return it.take(n).map((d) => d.toISOString().slice(0, 16));
}

/**
 * The first `n` minutes after `from` (UTC) at which `fires` holds, walking day by day and only
 * looking at the minutes of days where `day` holds.
 */
function firings(from: string, n: number, day: (d: Date) => boolean, fires: (d: Date) => boolean): string[] {
  const out: string[] = [];
  const start = new Date(from).getTime() + 60_000;
  for (let midnight = start - (start % 86_400_000); out.length < n; midnight += 86_400_000) {
    if (!day(new Date(midnight))) continue;
    for (let t = Math.max(midnight, start); t < midnight + 86_400_000 && out.length < n; t += 60_000) {
      if (fires(new Date(t))) out.push(new Date(t).toISOString().slice(0, 16));
    }
  }
  return out;
}

/** Firings by the crontab(5) rules (cron-parser's day rule differs for a day field such as "*\/2"). */
function crontabFirings(spec: CronSpec, from: string, n: number): string[] {
  const has = (values: number[] | null, v: number) => values === null || values.includes(v);
  const day = (d: Date) => {
    const dom = has(spec.dayOfMonth, d.getUTCDate());
    const dow = has(spec.dayOfWeek, d.getUTCDay());
    return has(spec.month, d.getUTCMonth() + 1) && (spec.dayOr ? dom || dow : dom && dow);
  };
  return firings(from, n, day, (d) => has(spec.minute, d.getUTCMinutes()) && has(spec.hour, d.getUTCHours()));
}

describe("cron → systemd OnCalendar", () => {
  it.each([
    ["*/30 * * * *", undefined, ["*-*-* *:00,30:00"]],
    ["*/15 * * * *", undefined, ["*-*-* *:00/15:00"]],
    ["45 3 * * *", "Europe/Oslo", ["*-*-* 03:45:00 Europe/Oslo"]],
    ["0 6 1 1,4,7,10 *", undefined, ["*-01,04,07,10-01 06:00:00"]],
    ["0 9-17 * * 1-5", undefined, ["Mon..Fri *-*-* 09..17:00:00"]],
    ["0 0 1,15 * 1", "UTC", ["*-*-01,15 00:00:00 UTC", "Mon *-*-* 00:00:00 UTC"]],
    ["0 0 */2 * 1", undefined, ["Mon *-*-01,03,05,07,09,11,13,15,17,19,21,23,25,27,29,31 00:00:00"]],
  ])("%s (zone %s)", (expression, zone, expected) => {
    expect(toOnCalendar(parseCron(expression, "k"), zone)).toEqual(expected);
  });

  // The launchd test below checks the same day rules without systemd; this one asks systemd itself.
  it.skipIf(
    skipping(
      "systemd-analyze calendar fires exactly when cron would",
      SYSTEMD_ANALYZE
        ? null
        : "systemd-analyze is not installed (Debian package systemd; scripts/test-deps.sh installs it)",
    ),
  )(
    "systemd-analyze calendar fires exactly when cron would (needs systemd-analyze: Debian package systemd)",
    () => {
      for (const expression of BATTERY) {
        const spec = parseCron(expression, "k");
        const firings = toOnCalendar(spec).flatMap((calendar) => {
          const r = spawnSync(
            "systemd-analyze",
            ["calendar", "--iterations=20", "--base-time=2026-01-01 00:00:00 UTC", calendar],
            { env: { ...process.env, TZ: "UTC" }, encoding: "utf8" },
          );
          expect(r.status, `${calendar}: ${r.stderr}`).toBe(0);
          return [...r.stdout.matchAll(/(?:Next elapse|Iter\. #\d+): \w+ (\d{4}-\d\d-\d\d \d\d:\d\d)/g)].map(
            (m) => m[1]!.replace(" ", "T"),
          );
        });
        const merged = [...new Set(firings)].sort().slice(0, 20);
        expect(merged, expression).toEqual(crontabFirings(spec, "2026-01-01T00:00:00Z", 20));
      }
    },
  );
});

/** The minutes launchd would start a job: any dictionary matching, a missing key matching anything. */
function launchdFirings(intervals: LaunchdInterval[], from: string, n: number): string[] {
  const at = (d: Date): Required<LaunchdInterval> => ({
    Minute: d.getUTCMinutes(),
    Hour: d.getUTCHours(),
    Day: d.getUTCDate(),
    Weekday: d.getUTCDay(),
    Month: d.getUTCMonth() + 1,
  });
  const matches = (d: Date, keys: (keyof LaunchdInterval)[]) =>
    intervals.some((i) =>
      keys.every((k) => i[k] === undefined || (k === "Weekday" ? i[k]! % 7 : i[k]) === at(d)[k]),
    );
  return firings(
    from,
    n,
    (d) => matches(d, ["Month", "Day", "Weekday"]),
    (d) => matches(d, ["Month", "Day", "Weekday", "Hour", "Minute"]),
  );
}

describe("cron → launchd StartCalendarInterval", () => {
  it("expands steps and lists into one dictionary per combination", () => {
    expect(toStartCalendarInterval(parseCron("*/30 * * * *", "k"), "k")).toEqual([
      { Minute: 0 },
      { Minute: 30 },
    ]);
    expect(toStartCalendarInterval(parseCron("0 6 1 1,4,7,10 *", "k"), "k")).toEqual(
      [1, 4, 7, 10].map((Month) => ({ Month, Day: 1, Hour: 6, Minute: 0 })),
    );
    expect(toStartCalendarInterval(parseCron("0 0 1 * 1", "k"), "k")).toEqual([
      { Day: 1, Hour: 0, Minute: 0 },
      { Weekday: 1, Hour: 0, Minute: 0 },
    ]);
  });

  it("fires exactly when cron would", () => {
    for (const expression of BATTERY) {
      const spec = parseCron(expression, "k");
      const expected = crontabFirings(spec, "2026-01-01T00:00:00Z", 20);
      expect(
        launchdFirings(toStartCalendarInterval(spec, "k"), "2026-01-01T00:00:00Z", 20),
        expression,
      ).toEqual(expected);
      // cron-parser agrees wherever its day rule is crontab(5)'s
      if (!/^\S+ \S+ \*\/\S+ \S+ [^*]/.test(expression)) {
        expect(cronFirings(expression, "2026-01-01T00:00:00Z", 20), expression).toEqual(expected);
      }
    }
  });

  it("refuses a schedule that would need hundreds of dictionaries, naming the key", () => {
    expect(() => toStartCalendarInterval(parseCron("0-58 0-22 * * *", "k"), "schedule.sync")).toThrow(
      /^"schedule.sync" is "0-58 0-22 \* \* \*": launchd needs one calendar entry per combination of values, and this needs more than 500/,
    );
  });
});

describe("kb schedule --format cron", () => {
  it("sets HOME, PATH and KB_CONFIG, uses absolute paths, and has one line per job and per dedup scope", async () => {
    const dir = makeTree({ "kb.config.yaml": FLEET });
    const r = await kb(["schedule"], dir);
    expect(r.code, r.stderr).toBe(0);
    const file = join(tempDir(), "kb.crontab");
    writeFileSync(file, r.stdout);
    const parsed = CronFileParser.parseFileSync(file);
    expect(parsed.errors).toEqual({});
    expect(parsed.variables).toEqual({
      SHELL: "/bin/sh",
      HOME: userInfo().homedir,
      PATH: expect.stringContaining(dirname(process.execPath)),
      KB_CONFIG: join(dir, "kb.config.yaml"),
    });
    const path = parsed.variables.PATH!.split(":");
    expect(path.every(isAbsolute)).toBe(true);
    expect(path).toEqual(expect.arrayContaining(["/usr/bin", "/bin"]));

    const lines = r.stdout.split("\n").filter((l) => /^[\d*]/.test(l));
    const kbBin = join(repoRoot, "bin/kb.js");
    const log = join(dir, "state/logs");
    const runs = lines.map((l) => {
      const fields = l.split(" ");
      expect(CronExpressionParser.parse(fields.slice(0, 5).join(" ")).stringify()).toBeTruthy();
      return { cron: fields.slice(0, 5).join(" "), command: fields.slice(5).join(" ") };
    });
    expect(runs.map((x) => x.cron)).toEqual([
      "*/30 * * * *",
      "30 5 * * *",
      "45 3 * * *",
      "55 3 * * *",
      "0 2 * * 1-5",
      "5 4 * * *",
      "0 6 1 1,4,7,10 *",
      "0 6 * * *",
    ]);
    expect(runs.map((x) => x.command)).toEqual(
      [
        "sync",
        "mine",
        "dedup --scope company",
        "dedup --scope finance",
        "dedup --scope hr",
        "dedup --scope retail",
        "audit",
        "consolidate",
      ].map(
        (args) =>
          `cd ${dir} && mkdir -p ${log} && ${process.execPath} ${kbBin} ${args} >> ${log}/${args.split(" ")[0]}.log 2>&1`,
      ),
    );
    expect(r.stdout).toContain("exits 4 without changing anything");
    expect(r.stdout).not.toMatch(/^CRON_TZ=/m);
  });

  it("runs with only the environment the crontab gives it, from any folder", async () => {
    const dir = makeTree({
      "kb.config.yaml": `${FLEET}  maxRemoveShare: 1\nbrain: ./brain\n`,
      "brain/company/about.md":
        "# About\n\n- Fjord & Finch was founded in 2019.\n- Fjord & Finch was founded in 2019.\n",
    });
    const r = await kb(["schedule"], dir);
    const file = join(tempDir(), "kb.crontab");
    writeFileSync(file, r.stdout);
    const { variables } = CronFileParser.parseFileSync(file);
    const line = r.stdout.split("\n").find((l) => l.includes("--scope company"))!;
    const command = line.split(" ").slice(5).join(" ");
    // what cron does: a shell with the crontab's variables and nothing else, started in HOME
    const run = spawnSync("/bin/sh", ["-c", command], { env: variables, cwd: "/", encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    const log = readFileSync(join(dir, "state/logs/dedup.log"), "utf8");
    expect(log).toMatch(/dedup company .*removed 1/);
    expect(log.split("\n").filter((l) => l.startsWith("{")).length).toBeGreaterThan(0);
  });

  it("--json gives the host's paths, every entry in every format, the files and the install steps", async () => {
    const out = await schedule(FLEET, "cron");
    expect(Object.keys(out)).toEqual(["format", "host", "entries", "skipped", "files", "install"]);
    expect(Object.keys(out.host)).toEqual([
      "host",
      "user",
      "home",
      "node",
      "kb",
      "cwd",
      "path",
      "config",
      "envFile",
      "logDir",
      "timezone",
    ]);
    expect(out.entries.map((e) => e.id)).toEqual([
      "sync",
      "mine",
      "dedup-company",
      "dedup-finance",
      "dedup-hr",
      "dedup-retail",
      "audit",
      "consolidate",
    ]);
    expect(out.entries.find((e) => e.id === "dedup-hr")).toEqual({
      id: "dedup-hr",
      job: "dedup",
      scope: "hr",
      summary: expect.stringContaining("near-duplicate"),
      cron: "0 2 * * 1-5",
      from: "dedup.scopes.2.at",
      args: ["dedup", "--scope", "hr"],
      onCalendar: ["Mon..Fri *-*-* 02:00:00"],
      startCalendarInterval: [1, 2, 3, 4, 5].map((Weekday) => ({ Weekday, Hour: 2, Minute: 0 })),
    });
    expect(out.entries.find((e) => e.id === "dedup-retail")?.from).toBe("dedup.staggerStart");
    expect(out.files).toEqual([
      { path: "kb.crontab", content: expect.stringMatching(/^# >>> kb schedule >>>\n/) },
    ]);
    expect(out.install.at(-1)).toMatch(/\| crontab -$/);
  });

  it("pins the time zone with CRON_TZ and takes schedule.sync from the config", async () => {
    const out = await schedule(
      `${FLEET}schedule:\n  timezone: Europe/Oslo\n  sync: "*/15 * * * *"\n`,
      "cron",
    );
    const text = out.files[0]!.content;
    expect(text).toMatch(/^CRON_TZ=Europe\/Oslo$/m);
    expect(text).toMatch(/^\*\/15 \* \* \* \* cd .* sync >> /m);
    expect(out.entries.find((e) => e.job === "sync")).toMatchObject({
      cron: "*/15 * * * *",
      from: "schedule.sync",
      onCalendar: ["*-*-* *:00/15:00 Europe/Oslo"],
      startCalendarInterval: [{ Minute: 0 }, { Minute: 15 }, { Minute: 30 }, { Minute: 45 }],
    });
  });

  it("leaves out the jobs schedule.off turns off on this host, and names a job it does not know", async () => {
    const out = await schedule(`${FLEET}schedule:\n  off: [dedup, audit]\n`, "cron");
    expect(out.entries.map((e) => e.id)).toEqual(["sync", "mine", "consolidate"]);
    const dir = makeTree({ "kb.config.yaml": `${FLEET}schedule:\n  off: [dedupe]\n` });
    const r = await kb(["schedule", "--format", "cron"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /kb\.config\.yaml:\d+: "schedule\.off\.0" is "dedupe"; expected one of: sync, mine, consolidate, dedup, audit/,
    );
  });

  it("gives no entry to a job the host cannot run, and lists it as not scheduled with the reason", async () => {
    const bare =
      'host: vps\nstate: ./state\ndedup:\n  scopes:\n    - { name: finance, paths: "finance/**" }\n';
    const cron = await schedule(bare, "cron");
    expect(cron.entries.map((e) => e.id)).toEqual(["dedup-finance", "audit", "consolidate"]);
    expect(cron.skipped).toEqual([
      { job: "sync", reason: "no hub configured (set sync.hub to the hub repository's path or ssh:// URL)" },
      { job: "mine", reason: "no log sources configured (set mine.sources)" },
    ]);
    const block = cron.files[0]!.content;
    expect(block).not.toMatch(/^[^#].* sync >>/m);
    expect(
      block
        .split("\n")
        .filter((l) => l.startsWith("# not scheduled") || l.startsWith("# Jobs with no entry")),
    ).toMatchInlineSnapshot(`
      [
        "# Jobs with no entry: this host's config cannot run them (regenerate once it can).",
        "# not scheduled: sync: no hub configured (set sync.hub to the hub repository's path or ssh:// URL)",
        "# not scheduled: mine: no log sources configured (set mine.sources)",
      ]
    `);
    const llmless = await schedule(
      `${bare}mine:\n  sources: [{ agent: a, kind: openclaw, path: ./logs }]\n`,
      "systemd",
    );
    expect(llmless.files.map((f) => f.path)).not.toContain("/etc/systemd/system/kb-mine.timer");
    const dir = makeTree({ "kb.config.yaml": bare });
    const text = await kb(["schedule", "--format", "launchd"], dir);
    expect(text.stdout.split("\n").slice(0, 4)).toMatchInlineSnapshot(`
      [
        "# kb launchd schedule for host vps: 3 entries.",
        "# not scheduled: sync: no hub configured (set sync.hub to the hub repository's path or ssh:// URL)",
        "# not scheduled: mine: no log sources configured (set mine.sources)",
        "# Install:",
      ]
    `);
  });

  it("knows exactly the registry's jobs in schedule.off", () => {
    expect([...JOB_NAMES].sort()).toEqual(jobs.map((j) => j.name).sort());
  });

  it("takes HOME from the account, not from $HOME (sudo -u keeps the caller's)", async () => {
    const dir = makeTree({ "kb.config.yaml": FLEET });
    const r = await runKb(["schedule"], { cwd: dir, env: { HOME: "/tmp/someone-else", KB_CONFIG: "" } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^HOME=${userInfo().homedir}$`, "m"));
  });
});

describe("kb schedule --format systemd", () => {
  it("writes a service and a timer per entry that systemd accepts", async () => {
    const out = await schedule(`${FLEET}schedule:\n  timezone: Europe/Oslo\n`, "systemd");
    const names = out.files.map((f) => f.path);
    expect(names).toEqual(
      [
        "sync",
        "mine",
        "dedup-company",
        "dedup-finance",
        "dedup-hr",
        "dedup-retail",
        "audit",
        "consolidate",
      ].flatMap((id) => [`/etc/systemd/system/kb-${id}.service`, `/etc/systemd/system/kb-${id}.timer`]),
    );
    for (const f of out.files.filter((f) => f.path.endsWith(".service"))) {
      expect(f.content).toMatch(/^Type=oneshot$/m);
      expect(f.content).toMatch(new RegExp(`^User=${userInfo().username}$`, "m"));
      expect(f.content).toMatch(/^WorkingDirectory=\//m);
      expect(f.content).toMatch(/^Environment="HOME=\/.*" "PATH=\/.*" "KB_CONFIG=\/.*kb\.config\.yaml"$/m);
      expect(f.content).toMatch(new RegExp(`^ExecStart=${process.execPath} /\\S+/bin/kb\\.js \\w+`, "m"));
      expect(f.content).toMatch(/^SuccessExitStatus=4$/m);
    }
    const timer = (id: string) => out.files.find((f) => f.path.endsWith(`kb-${id}.timer`))!.content;
    for (const f of out.files.filter((f) => f.path.endsWith(".timer"))) {
      expect(f.content).toMatch(/^Persistent=true$/m);
      expect(f.content).toMatch(/^OnCalendar=.* Europe\/Oslo$/m);
      expect(f.content).toMatch(/^WantedBy=timers\.target$/m);
    }
    expect(timer("dedup-finance")).toMatch(/^OnCalendar=\*-\*-\* 03:55:00 Europe\/Oslo$/m);
    expect(timer("dedup-hr")).toMatch(/^OnCalendar=Mon\.\.Fri \*-\*-\* 02:00:00 Europe\/Oslo$/m);
    expect(timer("audit")).toMatch(/^OnCalendar=\*-01,04,07,10-01 06:00:00 Europe\/Oslo$/m);

    if (SYSTEMD_ANALYZE) {
      const dir = tempDir();
      for (const f of out.files) writeFileSync(join(dir, f.path.split("/").at(-1)!), f.content);
      const verify = spawnSync("systemd-analyze", ["verify", ...readdirSync(dir).map((n) => join(dir, n))], {
        encoding: "utf8",
      });
      expect(verify.status, verify.stderr).toBe(0);
      expect(verify.stderr).toBe("");
      for (const calendar of new Set(out.entries.flatMap((e) => e.onCalendar))) {
        const check = spawnSync("systemd-analyze", ["calendar", calendar], { encoding: "utf8" });
        expect(check.status, `${calendar}: ${check.stderr}`).toBe(0);
      }
    } else
      skipping(
        "systemd-analyze verify of the generated units",
        "systemd-analyze is not installed (Debian package systemd; scripts/test-deps.sh installs it)",
      );
  });

  it("--out writes the unit files into a folder", async () => {
    const dir = makeTree({ "kb.config.yaml": FLEET });
    const r = await kb(["schedule", "--format", "systemd", "--out", join(dir, "units")], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(join(dir, "units"))).toHaveLength(16);
    expect(r.stdout).toMatch(/^wrote 16 files to .*units; install:\n/);
    expect(r.stdout).toContain(
      "sudo systemctl enable --now kb-sync.timer kb-mine.timer kb-dedup-company.timer",
    );
  });
});

/**
 * A strict property-list reader, as `plutil -lint` would be: plutil itself on a Mac, CPython's
 * plistlib (which refuses unknown elements, a key without a value, a non-integer <integer>) elsewhere.
 */
function readPlist(xml: string): Record<string, unknown> {
  const file = join(tempDir(), "job.plist");
  writeFileSync(file, xml);
  const r = has("plutil")
    ? spawnSync("plutil", ["-convert", "json", "-o", "-", file], { encoding: "utf8" })
    : spawnSync(
        "python3",
        [
          "-c",
          "import json,plistlib,sys; print(json.dumps(plistlib.load(open(sys.argv[1],'rb'), fmt=plistlib.FMT_XML)))",
          file,
        ],
        { encoding: "utf8" },
      );
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe("kb schedule --format launchd", () => {
  it("writes one valid LaunchDaemon plist per entry with the account, HOME and the calendar", async () => {
    const out = await schedule(`${FLEET}schedule:\n  timezone: Europe/Oslo\n`, "launchd");
    expect(out.files.map((f) => f.path)).toEqual(
      [
        "sync",
        "mine",
        "dedup.company",
        "dedup.finance",
        "dedup.hr",
        "dedup.retail",
        "audit",
        "consolidate",
      ].map((id) => `/Library/LaunchDaemons/kb.${id}.plist`),
    );
    const dir = out.host.cwd;
    const byLabel: Record<string, Record<string, unknown>> = {};
    for (const f of out.files) {
      expect(f.content.split("\n").slice(0, 2)).toEqual([
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
      ]);
      expect(f.content).toContain(
        "launchd has no time-zone setting: these times are the Mac's local time, not Europe/Oslo",
      );
      const plist = readPlist(f.content);
      byLabel[f.path.split("/").at(-1)!] = plist;
      expect(f.path).toBe(`/Library/LaunchDaemons/${plist.Label}.plist`);
      expect((plist.ProgramArguments as string[]).slice(0, 2)).toEqual([
        process.execPath,
        join(repoRoot, "bin/kb.js"),
      ]);
      expect(plist).toMatchObject({
        UserName: userInfo().username,
        WorkingDirectory: dir,
        EnvironmentVariables: {
          HOME: userInfo().homedir,
          PATH: out.host.path,
          KB_CONFIG: join(dir, "kb.config.yaml"),
        },
        StandardOutPath: expect.stringMatching(/\/state\/logs\/\w+\.log$/),
        RunAtLoad: false,
      });
      expect(plist.StartCalendarInterval ?? plist.StartInterval).toBeDefined();
    }
    expect(byLabel["kb.sync.plist"]!.StartCalendarInterval).toEqual([{ Minute: 0 }, { Minute: 30 }]);
    expect(byLabel["kb.dedup.company.plist"]!.ProgramArguments).toEqual([
      process.execPath,
      join(repoRoot, "bin/kb.js"),
      "dedup",
      "--scope",
      "company",
    ]);
    expect(byLabel["kb.dedup.finance.plist"]!.StartCalendarInterval).toEqual({ Hour: 3, Minute: 55 });
    expect(byLabel["kb.dedup.hr.plist"]!.StartCalendarInterval).toEqual(
      [1, 2, 3, 4, 5].map((Weekday) => ({ Weekday, Hour: 2, Minute: 0 })),
    );
    expect(byLabel["kb.audit.plist"]!.StartCalendarInterval).toEqual(
      [1, 4, 7, 10].map((Month) => ({ Month, Day: 1, Hour: 6, Minute: 0 })),
    );
  });

  it("escapes paths a plist cannot hold as they are", async () => {
    const dir = makeTree({ "R&D <kb>/kb.config.yaml": FLEET });
    const r = await kb(["schedule", "--format", "launchd", "--json"], join(dir, "R&D <kb>"));
    expect(r.code, r.stderr).toBe(0);
    const plist = readPlist((JSON.parse(r.stdout) as RenderedSchedule).files[0]!.content);
    expect(plist.WorkingDirectory).toBe(join(dir, "R&D <kb>"));
  });
});

describe("kb schedule errors", () => {
  it("names the file, line and key of a schedule no scheduler can run", async () => {
    const dir = makeTree({ "kb.config.yaml": `host: vps\nschedule:\n  sync: "0 0 30 2 *"\n` });
    const r = await kb(["schedule", "--format", "systemd", "--json"], dir);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: "SCHEDULE_INVALID", exitCode: 2 });
    expect(r.stderr.replace(dir, "DIR")).toMatchInlineSnapshot(`
      "kb schedule: DIR/kb.config.yaml:3: "schedule.sync" is "0 0 30 2 *": that day of the month never occurs in the months given; expected five fields "minute hour day-of-month month day-of-week" made of numbers, * , - and / (month and weekday names allowed), e.g. "45 3 * * *"
      "
    `);
  });

  it("names a dedup scope's time by its place in the list", async () => {
    const dir = makeTree({
      "kb.config.yaml": `host: vps\ndedup:\n  scopes:\n    - { name: a, paths: "a/**" }\n    - name: b\n      paths: "b/**"\n      at: "0 0 31 4 *"\n`,
    });
    const r = await kb(["schedule"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(dir, "kb.config.yaml")}:7: "dedup.scopes.1.at" is "0 0 31 4 *"`);
  });

  it("refuses an unknown time zone and an unknown format", async () => {
    const dir = makeTree({ "kb.config.yaml": `host: vps\nschedule:\n  timezone: Europe/Olso\n` });
    const r = await kb(["schedule"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `kb.config.yaml:3: "schedule.timezone" is "Europe/Olso", which is not an IANA time zone; expected a name such as Europe/Oslo or UTC`,
    );
    const f = await kb(["schedule", "--format", "anacron"], makeTree({ "kb.config.yaml": FLEET }));
    expect(f.code).toBe(2);
    expect(f.stderr).toContain(`--format "anacron" is not valid; expected one of: cron, systemd, launchd`);
  });

  it("needs a config file, because every entry names it", async () => {
    const r = await kb(["schedule"], tempDir());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /kb schedule writes the config file's path into every entry, and there is none: .*Pass --config FILE or set KB_CONFIG/,
    );
  });
});

describe("crontab.example", () => {
  it("is what `kb schedule --example` prints today", async () => {
    const r = await kb(["schedule", "--example", "--format", "cron"], tempDir());
    expect(r.code, r.stderr).toBe(0);
    const committed = readFileSync(join(repoRoot, "crontab.example"), "utf8");
    expect(committed, "crontab.example is stale: run `npm run crontab` and commit it").toBe(r.stdout);
    // the packaged config's scopes, staggered 10 minutes apart from 03:45
    expect(
      r.stdout
        .match(/^\d+ \d+ \* \* \* .* dedup --scope \S+/gm)
        ?.map((l) => l.split(" ").slice(0, 2).join(":")),
    ).toEqual(["45:3", "55:3", "5:4", "15:4", "25:4", "35:4", "45:4"]);
    expect(existsSync(join(repoRoot, "kb.config.yaml"))).toBe(true);
  });
});

describe("the team's MCP server as a service", () => {
  it("gets a systemd service and a LaunchDaemon once a token exists, with HOME, PATH and KB_CONFIG explicit", async () => {
    const dir = makeTree({
      "kb.config.yaml": "host: vps\nbrain: ./brain\nstate: ./state\n",
      "brain/a.md": "- A fact.\n",
    });
    const before = JSON.parse(
      (await kb(["schedule", "--format", "systemd", "--json"], dir)).stdout,
    ) as RenderedSchedule;
    expect(before.files.map((f) => f.path)).not.toContain("/etc/systemd/system/kb-mcp.service");
    expect((await kb(["mcp", "token", "add", "team"], dir)).code).toBe(0);

    const systemd = JSON.parse(
      (await kb(["schedule", "--format", "systemd", "--json"], dir)).stdout,
    ) as RenderedSchedule;
    const unit = systemd.files.find((f) => f.path === "/etc/systemd/system/kb-mcp.service")!.content;
    expect(unit).toMatch(new RegExp(`^ExecStart=${process.execPath} /\\S+/bin/kb\\.js mcp --http$`, "m"));
    expect(unit).toMatch(/^Environment="HOME=\/.*" "PATH=\/.*" "KB_CONFIG=\/.*kb\.config\.yaml"$/m);
    expect(unit).toMatch(/^Restart=on-failure$/m);
    expect(systemd.install).toContain("sudo systemctl enable --now kb-mcp.service   # kb mcp --http");
    if (SYSTEMD_ANALYZE) {
      const out = tempDir();
      writeFileSync(join(out, "kb-mcp.service"), unit);
      const verify = spawnSync("systemd-analyze", ["verify", join(out, "kb-mcp.service")], {
        encoding: "utf8",
      });
      expect(verify.status, verify.stderr).toBe(0);
    }

    const launchd = JSON.parse(
      (await kb(["schedule", "--format", "launchd", "--json"], dir)).stdout,
    ) as RenderedSchedule;
    const plist = launchd.files.find((f) => f.path === "/Library/LaunchDaemons/kb.mcp.plist")!.content;
    expect(plist).toContain("<key>KeepAlive</key>\n\t<true/>");
    expect(plist).toMatch(/<key>HOME<\/key>\s*<string>\//);
    expect(plist).toContain("<string>--http</string>");
  });
});
