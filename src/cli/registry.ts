import type { CommandSpec } from "./types.js";

/**
 * Every `kb` command. Modules are imported only when their command runs, so `kb --help` and
 * `kb --version` start fast.
 */
export const commands: CommandSpec[] = [
  {
    name: "scan",
    summary: "show what the brain holds: files, facts, per-folder counts and files kb cannot read",
    load: () => import("./commands/scan.js"),
  },
  {
    name: "doctor",
    summary: "check config, environment, brain and state; --fix makes safe repairs",
    options: [["--fix", "make safe repairs (never rewrites a whole config file)"]],
    standalone: true,
    load: () => import("./commands/doctor.js"),
  },
  {
    name: "status",
    summary: "last run of each job; exits non-zero when a job is failing",
    load: () => import("./commands/status.js"),
  },
];
