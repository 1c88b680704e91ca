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
  {
    name: "audit",
    summary: "staleness audit of every brain file; with --launch, the launch gate",
    options: [
      ["--format <list>", "report formats written to the reports folder: md,json,html"],
      ["--fail-on <level>", "exit 1 when findings reach this level: error | warning | never", "error"],
      ["--launch <id>", "launch gate: mark the files this launch affects, print the checklist"],
      ["--about <keys...>", "entity keys the launch is about (e.g. collection/fw26)"],
      ["--supersedes <keys...>", "entity keys the launch replaces (e.g. collection/ss26)"],
      ["--since <date>", "reviews on or after this day count for the launch"],
    ],
    writes: true,
    help: "Exit codes: 1 when findings reach --fail-on; 3 while a launch gate has not passed.",
    load: () => import("./commands/audit.js"),
  },
  {
    name: "verify",
    summary: "record that a person reviewed these brain files (stamps last_reviewed, clears launch reasons)",
    args: "<paths...>",
    options: [["--by <name>", "who reviewed (default: the file's owner)"]],
    writes: true,
    load: () => import("./commands/verify.js"),
  },
];
