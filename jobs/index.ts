import type { JobDefinition } from "./types.js";

/**
 * The job registry: the single source of job names and default schedules. The CLI, the daemon,
 * `kb schedule` and the generated crontab.example all read it. Each job lives in jobs/<name>.ts.
 */
export const jobs: JobDefinition[] = [
  {
    name: "audit",
    summary: "quarterly staleness audit: review status of every brain file, reports, trend snapshot",
    schedule: "0 6 1 1,4,7,10 *",
    everyMinutes: 92 * 24 * 60,
    load: () => import("./audit.js"),
  },
];

export function findJob(name: string): JobDefinition | undefined {
  return jobs.find((j) => j.name === name);
}
