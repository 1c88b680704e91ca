import type { JobDefinition } from "./types.js";

/**
 * The job registry: the single source of job names and default schedules. The CLI, the daemon,
 * `kb schedule` and the generated crontab.example all read it. Each job lives in jobs/<name>.ts.
 */
export const jobs: JobDefinition[] = [
  {
    name: "dedup",
    summary:
      "nightly per-scope dedup: removes near-duplicate facts, reports contradictions and pairs to review",
    schedule: "45 3 * * *",
    everyMinutes: 1440,
    load: () => import("./dedup.js"),
  },
  {
    name: "sync",
    summary: "bidirectional git sync of the brain through the hub, with a fact-aware merge",
    schedule: "*/30 * * * *",
    everyMinutes: 30,
    load: () => import("./sync.js"),
  },
  {
    name: "audit",
    summary: "quarterly staleness audit: review status of every brain file, reports, trend snapshot",
    schedule: "0 6 1 1,4,7,10 *",
    everyMinutes: 92 * 24 * 60,
    load: () => import("./audit.js"),
  },
  {
    name: "consolidate",
    summary:
      "brain-wide: every changed value converges; older statements superseded from evidence, undecidable ones put before a person",
    schedule: "0 6 * * *",
    everyMinutes: 1440,
    load: () => import("./consolidate.js"),
  },
  {
    name: "mine",
    summary: "mine new agent session logs for durable facts; changes go to a review branch by default",
    schedule: "30 5 * * *",
    everyMinutes: 1440,
    load: () => import("./mine.js"),
  },
];

export function findJob(name: string): JobDefinition | undefined {
  return jobs.find((j) => j.name === name);
}
