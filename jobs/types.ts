import type { Context } from "../src/runtime/context.js";

/** The result every job returns: what it did, for the run record, `--json` and the summary line. */
export interface JobResult {
  status?: "ok" | "needs-human";
  counts?: Record<string, number>;
  summary?: Record<string, unknown>;
  /** One or two lines for people. */
  text: string;
  /** Full machine-readable result (`--json`). */
  data: unknown;
}

export interface JobModule {
  /** Run the job once (one scope, when the job has scopes). */
  run(ctx: Context, options: Record<string, unknown>): Promise<JobResult>;
}

/** What the CLI, the daemon and the schedule generator know about a job without loading it. */
export interface JobDefinition {
  name: string;
  summary: string;
  /** Default five-field cron schedule; config `schedule.<job>` overrides it per host. */
  schedule: string;
  /** Expected interval between successful runs; a job is overdue after twice this. */
  everyMinutes: number;
  load: () => Promise<JobModule>;
}
