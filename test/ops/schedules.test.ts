import { describe, expect, it } from "vitest";
import { jobs } from "../../jobs/index.js";
import { parseConfigText } from "../../src/config/load.js";
import {
  cronVariants,
  effectiveSchedules,
  hasSecondsField,
  intervalMinutes,
} from "../../src/ops/schedules.js";

const config = (yaml: string) => parseConfigText(yaml, "/srv/kb/kb.config.yaml");

describe("intervalMinutes: the longest gap between two firings", () => {
  it("agrees with every job's declared interval for its default schedule", () => {
    for (const job of jobs)
      expect([job.name, intervalMinutes(job.schedule)]).toEqual([job.name, job.everyMinutes]);
  });

  it.each([
    ["*/30 * * * *", 30],
    ["0 9 * * mon-fri", 3 * 1440],
    ["*/5 * * * 1", 6 * 1440 + 5],
    ["* 9-17 * * *", 15 * 60 + 1],
    ["0 6 1 1,4,7,10 *", 92 * 1440],
    ["*/10 * * * * *", 10 / 60],
    ["0 0 29 2 *", (4 * 365 + 1) * 1440],
  ])("%s → %d minutes", (cron, minutes) => {
    expect(intervalMinutes(cron)).toBeCloseTo(minutes, 6);
  });
});

describe("cron's either-day rule in the daemon", () => {
  it("splits an expression with both day fields restricted into days-of-month and weekdays", () => {
    expect(cronVariants("0 9 1 * mon")).toEqual(["0 9 1 * *", "0 9 * * mon"]);
    expect(cronVariants("30 0 9 1,15 * 1-5")).toEqual(["30 0 9 1,15 * *", "30 0 9 * * 1-5"]);
    expect(cronVariants("0 9 */2 * mon")).toEqual(["0 9 */2 * mon"]);
    expect(cronVariants(" 45 3 * * * ")).toEqual(["45 3 * * *"]);
  });

  it("judges such a schedule by when cron fires it: the 1st or any Monday is at most a week apart", () => {
    expect(intervalMinutes("0 9 1 * mon")).toBe(7 * 1440);
    expect(intervalMinutes("0 9 13 * fri")).toBe(7 * 1440);
  });
});

describe("effectiveSchedules", () => {
  it("lists each job in nightly order, dedup once per scope at its own or staggered time", () => {
    const c = config(
      [
        "schedule:",
        "  mine: '0 5 * * 1'",
        "dedup:",
        "  scopes:",
        "    - { name: finance, paths: finance }",
        "    - { name: hr, paths: hr, at: '0 2 * * 0' }",
        "    - { name: retail, paths: retail }",
      ].join("\n"),
    );
    expect(effectiveSchedules(c)).toEqual([
      { job: "sync", cron: "*/30 * * * *", everyMinutes: 30, source: "default" },
      { job: "mine", cron: "0 5 * * 1", everyMinutes: 7 * 1440, source: "config" },
      { job: "dedup", scope: "finance", cron: "45 3 * * *", everyMinutes: 1440, source: "stagger" },
      { job: "dedup", scope: "hr", cron: "0 2 * * 0", everyMinutes: 7 * 1440, source: "config" },
      { job: "dedup", scope: "retail", cron: "55 3 * * *", everyMinutes: 1440, source: "stagger" },
      { job: "audit", cron: "0 6 1 1,4,7,10 *", everyMinutes: 92 * 1440, source: "default" },
      { job: "consolidate", cron: "0 6 * * *", everyMinutes: 1440, source: "default" },
    ]);
  });

  it("accepts a leading seconds field, which only the daemon can run", () => {
    const [sync] = effectiveSchedules(config("schedule: { sync: '*/2 * * * * *' }"));
    expect(sync).toMatchObject({ cron: "*/2 * * * * *", everyMinutes: 2 / 60 });
    expect(hasSecondsField(sync!.cron)).toBe(true);
    expect(hasSecondsField("*/30 * * * *")).toBe(false);
  });
});

describe("schedule values in the config are checked field by field", () => {
  it.each([["45 3 * * *"], ["*/15 0-6,22,23 1-31/2 jan,JUN-aug sun-sat"], ["0 0 * * 7"], ["*/2 * * * * *"]])(
    "accepts %s",
    (cron) => {
      expect(() => config(`schedule: { sync: '${cron}' }`)).not.toThrow();
    },
  );

  it("names the line, the key, the field and what would be valid", () => {
    const problem = (cron: string) => {
      try {
        config(`host: x\nschedule:\n  sync: '${cron}'\n`);
        return "accepted";
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(problem("45 3 * *")).toMatchInlineSnapshot(`
      "invalid configuration:
        /srv/kb/kb.config.yaml:3: "schedule.sync" expected a cron expression of five fields (minute hour day-of-month month day-of-week) such as '45 3 * * *', or six with leading seconds for kb daemon"
    `);
    expect(problem("61 3 * * *")).toMatchInlineSnapshot(`
      "invalid configuration:
        /srv/kb/kb.config.yaml:3: "schedule.sync" has "61" in its minute field; expected *, a number 0-59, a range a-b, a step */n or a-b/n, or a list of these"
    `);
    expect(problem("0 9 * * mon-fry")).toMatchInlineSnapshot(`
      "invalid configuration:
        /srv/kb/kb.config.yaml:3: "schedule.sync" has "mon-fry" in its day of week field; expected *, a number 0-7, a range a-b, a step */n or a-b/n, or a list of these; names work too, e.g. mon-fri"
    `);
    expect(problem("*/0 * * * *")).toMatchInlineSnapshot(`
      "invalid configuration:
        /srv/kb/kb.config.yaml:3: "schedule.sync" has "*/0" in its minute field; expected *, a number 0-59, a range a-b, a step */n or a-b/n, or a list of these"
    `);
    expect(problem("5-1 * * * *")).toMatchInlineSnapshot(`
      "invalid configuration:
        /srv/kb/kb.config.yaml:3: "schedule.sync" has "5-1" in its minute field; expected *, a number 0-59, a range a-b, a step */n or a-b/n, or a list of these"
    `);
  });
});
