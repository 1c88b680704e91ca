import type { CommandSpec } from "./types.js";

/**
 * Every `kb` command. Modules are imported only when their command runs, so `kb --help` and
 * `kb --version` start fast.
 */
export const commands: CommandSpec[] = [
  {
    name: "dedup",
    changesBrain: true,
    job: true,
    summary:
      "remove near-duplicate facts per scope, keep the most informative version, report contradictions",
    options: [["--scope <name>", "run one scope (config dedup.scopes); default: all"]],
    writes: true,
    help: "Exit codes: 3 when the run would remove more than dedup.maxRemoveShare of a scope (nothing changed) or a file could not be written.",
    load: () => import("./commands/dedup.js"),
  },
  {
    name: "undo",
    changesBrain: true,
    summary: "restore exactly what a dedup run removed (kb undo RUN)",
    args: "<run>",
    writes: true,
    help: "A file edited since the run gets its removed facts put back in place, its later edits kept; a fact whose place cannot be found is listed with the reason (exit 3).",
    load: () => import("./commands/undo.js"),
  },
  {
    name: "scan",
    summary: "show what the brain holds: files, facts, per-folder counts and files kb cannot read",
    load: () => import("./commands/scan.js"),
  },
  {
    name: "search",
    summary: "search the brain's current facts (BM25), with file, section, owner and review state",
    args: "<query...>",
    options: [
      ["--k <n>", "how many facts to return", "6"],
      ["--scope <name>", "only this dedup scope (config dedup.scopes) or top-level folder"],
      ["--skills", "search the team's skills library (config skills) instead of facts"],
      [
        "--no-expand",
        "search the query's own words only, not the other names the glossary and aliases: give them",
      ],
      [
        "--no-record",
        "do not keep this search in the state database (kb status and the audit list unanswered ones)",
      ],
    ],
    help: "Never returns facts from _archive/. Facts from files past their review date or marked for review are listed after current ones and marked. A question that finds no answering fact is kept (secrets redacted) for kb status and the audit.",
    load: () => import("./commands/search.js"),
  },
  {
    name: "mcp",
    summary:
      "serve the brain to agents over the Model Context Protocol (read-only): stdio, or --http for the team; kb mcp token add|list|revoke",
    args: "[action...]",
    options: [
      [
        "--http [address]",
        "serve Streamable HTTP at /mcp on HOST:PORT (default: config mcp.address, 127.0.0.1:8765)",
      ],
      ["--scope <folders>", "token add: comma-separated top-level folders the token may read (default: all)"],
      ["--no-record", "do not keep agents' searches in the state database"],
    ],
    help: "Tools: search (as kb search), read_file (a file's current facts), outline (the brain's files and sections). Over HTTP every request needs a bearer token: kb mcp token add NAME prints one, once; kb mcp token list; kb mcp token revoke NAME (at once, no restart). See docs/search-and-mcp.md for Claude Desktop, OpenClaw and tunnel configs.",
    load: () => import("./commands/mcp.js"),
  },
  {
    name: "doctor",
    summary: "check config, environment, brain and state; --fix makes safe repairs",
    options: [["--fix", "make safe repairs (never rewrites a whole config file)"]],
    standalone: true,
    load: () => import("./commands/doctor.js"),
  },
  {
    name: "agents",
    summary:
      "each agent kb knows and the memory.search.extraPaths entry that keeps its OpenClaw reading current facts only",
    help: "Agents come from mine.sources and the agents: section; with agents.<id>.openclawConfig, kb checks that config (it never rewrites it). Exit code 3 when a config misses the entry, reads _archive/, or names a symlink.",
    load: () => import("./commands/agents.js"),
  },
  {
    name: "run",
    changesBrain: true,
    job: true,
    summary:
      "run one job, or the nightly pipeline (kb run nightly: sync → mine → consolidate → dedup → sync → audit), continuing past failures",
    args: "[job]",
    help: "Name the job: nightly, consolidate, dedup, sync, audit or mine. A bare kb run lists them (exit 2).",
    writes: true,
    load: () => import("./commands/run.js"),
  },
  {
    name: "status",
    summary:
      "this host's health: each job's last run and last success, overdue or failing jobs, sync conflicts, review branches",
    options: [["--recall", "run the recall check now (config recall.set) before reporting"]],
    help: "Exit codes: 0 healthy; 1 when a job is overdue (no success for twice its interval), failing or needs a person, or a sync conflict is unresolved. Jobs this host cannot run (no hub, no LLM) show as not configured and do not count.",
    load: () => import("./commands/status.js"),
  },
  {
    name: "audit",
    changesBrain: (o) => o.launch !== undefined,
    job: true,
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
    changesBrain: true,
    summary: "record that a person reviewed these brain files (stamps last_reviewed, clears launch reasons)",
    args: "<paths...>",
    options: [["--by <name>", "who reviewed (default: the file's owner)"]],
    writes: true,
    load: () => import("./commands/verify.js"),
  },
  {
    name: "schedule",
    summary:
      "print ready-to-install schedule entries for this host: cron lines, systemd units or launchd plists",
    options: [
      ["--format <format>", "cron | systemd | launchd", "cron"],
      ["--out <dir>", "write the files into this folder instead of printing them"],
      ["--example", "use the packaged config and placeholder paths (how crontab.example is made)"],
    ],
    help: "Every entry sets HOME, PATH and KB_CONFIG and uses absolute paths to node and kb: cron, systemd and launchd start jobs with almost no environment. Run it as the account the jobs run as. Dedup gets one entry per scope at its staggered time.",
    load: () => import("./commands/schedule.js"),
  },
  {
    name: "daemon",
    changesBrain: true,
    summary: "run every job on its schedule in one long-lived process (no overlap; SIGTERM stops cleanly)",
    options: [
      [
        "--health <address>",
        "serve GET /healthz on this address, e.g. 127.0.0.1:8787 (loopback unless another host is given)",
      ],
      ["--mcp [address]", "also serve kb mcp --http (default: config mcp.address, 127.0.0.1:8765)"],
    ],
    help: "GET /healthz answers the kb status JSON: 200 when healthy, 503 when not. SIGTERM or SIGINT: no new runs, the running job finishes, exit 0. Logs (stderr): scheduled, run started, run finished, listening (with the port), stopping, stopped.",
    load: () => import("./commands/daemon.js"),
  },
  {
    name: "eval",
    summary:
      "compare mining models on a labelled set (kb eval mine); measure what agents retrieve from the brain (kb eval recall)",
    args: "[what]",
    options: [
      ["--set <dir>", "the labelled set: session logs plus expected.yaml (mine), or questions.yaml (recall)"],
      ["--engine <engine>", "recall: kb (kb search) or openclaw (the real openclaw memory search)", "kb"],
      ["--k <n>", "recall: facts retrieved per question", "6"],
      ["--no-expand", "recall: kb search on the questions' own words only (no glossary or aliases: names)"],
      ["--openclaw <command>", "recall: the command that runs OpenClaw (default $KB_OPENCLAW)"],
      [
        "--openclaw-home <dir>",
        "recall: the HOME of the agent whose OpenClaw config to use (default $KB_OPENCLAW_HOME, else a keyword-only config kb writes)",
      ],
      ["--models <list>", "comma-separated model names to compare (default: llm.models)"],
      ["--runs <n>", "runs per model, to show the spread", "1"],
      ["--margin <f1>", "recommend the cheapest model whose F1 is within this of the best", "0.05"],
    ],
    load: () => import("./commands/eval.js"),
  },
  {
    name: "init",
    changesBrain: true,
    summary:
      "make this host ready to sync: publish the brain to an empty hub or clone it, register the merge driver",
    load: () => import("./commands/init.js"),
  },
  {
    name: "sync",
    changesBrain: true,
    job: true,
    summary:
      "commit local brain changes, merge with the hub per fact, push; exit 3 on conflicts, 5 when the hub is unreachable, 6 when refused",
    writes: true,
    help: 'Results (--json "result"): ok → 0, error → 1, conflict → 3, locked → 4, network → 5, unsafe → 6 (refused, nothing changed: the repository state needs a person).',
    load: () => import("./commands/sync.js"),
  },
  {
    name: "merge-driver",
    summary: "git's merge driver for brain files (kb merge-driver %O %A %B %P); registered by kb init",
    args: "<base> <ours> <theirs> <path>",
    hidden: true,
    standalone: true,
    load: () => import("./commands/merge-driver.js"),
  },
  {
    name: "mine",
    changesBrain: (o) => o.plan !== true,
    job: true,
    summary:
      "mine new agent session logs for durable facts (review branch by default); --dry-run shows the plan without calling the LLM",
    options: [
      ["--agent <name>", "only this agent's sources"],
      ["--since <date>", "only entries on or after this date (YYYY-MM-DD); older new entries are skipped"],
      [
        "--mode <mode>",
        "review (a branch to accept) or apply (a commit on the main branch); overrides mine.autonomy",
      ],
      ["--plan", "deprecated: use --dry-run", undefined, "hidden"],
    ],
    writes: true,
    help: "--dry-run prints the plan: chunks, token and cost estimates; no LLM call, no writes. Exit code 2 when a source's path does not exist.",
    load: () => import("./commands/mine.js"),
  },
  {
    name: "consolidate",
    changesBrain: true,
    job: true,
    summary:
      "make every changed value converge across the brain: supersede older statements from evidence, list the rest for a person",
    options: [
      [
        "--mode <mode>",
        "review (a branch to accept) or apply (a commit on the main branch); overrides mine.autonomy",
      ],
    ],
    writes: true,
    help: "Brain-wide, not per dedup scope. Decides only from evidence: an effective date in the text, the commit that changed a value, a newer statement. Exit code 3 while a contradiction waits for a person (kb settle).",
    load: () => import("./commands/consolidate.js"),
  },
  {
    name: "settle",
    changesBrain: true,
    summary: "settle a contradiction kb could not decide by keeping one side (kb settle ID --keep FILE:LINE)",
    args: "<id>",
    options: [["--keep <fact>", "the side that is current: FILE:LINE as kb status lists it"]],
    writes: true,
    help: "The other side goes to _archive/ with a pointer to the kept one (kb undo RUN restores it). kb status lists the open items and their ids.",
    load: () => import("./commands/settle.js"),
  },
  {
    name: "accept",
    changesBrain: true,
    summary: "merge a kb review branch (e.g. kb/mine/2026-11-24-vps) into the current branch and delete it",
    args: "<branch>",
    writes: true,
    load: () => import("./commands/accept.js"),
  },
  {
    name: "autonomy",
    summary:
      "per folder: what became of kb's proposals and applied changes, and whether it has earned apply mode (kb autonomy lift FOLDER ends a demotion)",
    args: "[action] [folder]",
    help: "kb recommends promotions on the mine.promotion schedule (use --as-of to see a later day); a person changes mine.autonomy. A person's revert of a change kb applied puts its folder back in review mode, --mode apply included, until kb autonomy lift FOLDER.",
    load: () => import("./commands/autonomy.js"),
  },
  {
    name: "why",
    summary:
      "tell a fact's story: mined from which log entry (with the quote), model, run, review, dedup merges, supersessions, git",
    args: "<fact...>",
    help: 'Name the fact as FILE:LINE (brain-relative, e.g. finance/payments.md:12) or by its text in quotes ("Free EU shipping above €60"). Reads this host\'s state database and git; writes nothing.',
    load: () => import("./commands/why.js"),
  },
  {
    name: "reject",
    changesBrain: true,
    summary: "drop a kb review branch without merging it",
    args: "<branch>",
    writes: true,
    load: () => import("./commands/reject.js"),
  },
];
