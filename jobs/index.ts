import type { JobDefinition } from "./types.js";

/**
 * The job registry: the single source of job names and default schedules. The CLI, the daemon,
 * `kb schedule` and the generated crontab.example all read it. Each job lives in jobs/<name>.ts.
 */
export const jobs: JobDefinition[] = [];

export function findJob(name: string): JobDefinition | undefined {
  return jobs.find((j) => j.name === name);
}
