import { z } from "zod";
import { agentsSchema } from "./sections/agents.js";
import { auditSchema } from "./sections/audit.js";
import { dedupSchema } from "./sections/dedup.js";
import { llmSchema } from "./sections/llm.js";
import { mcpSchema } from "./sections/mcp.js";
import { mineSchema } from "./sections/mine.js";
import { alertsSchema, scheduleSchema } from "./sections/ops.js";
import { recallSchema } from "./sections/recall.js";
import { searchSchema } from "./sections/search.js";
import { syncSchema } from "./sections/sync.js";

/** The whole `kb.config.yaml`. Every section is strict: an unknown key is an error. */
export const configSchema = z.strictObject({
  /** This host's name as it appears in commits, reports and branch names. */
  host: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]*$/i, "expected a host name (letters, digits, dot, dash)")
    .optional(),
  /**
   * This config belongs to the bundled sample brain: kb reads it but never writes it (commands
   * that change the brain refuse), and once `npm start` has made its demo copy next to it
   * (`.kb/demo/`), a bare `kb` in this folder uses the demo instead.
   */
  sample: z.boolean().default(false),
  /** The brain (Context Tree) folder. Relative paths resolve against the config file's folder. */
  brain: z.string().default("./brain"),
  /** Per-host state folder (SQLite database, local hub for the demo). Never synced. */
  state: z.string().default("./.kb"),
  /** Where reports are written. */
  reports: z.string().default("./reports"),
  /** Brain-relative globs kb skips entirely (e.g. a README describing the brain for people). */
  ignore: z.array(z.string()).default([]),
  /** A dotenv-style file loaded before anything else (existing variables win). */
  envFile: z.string().optional(),
  limits: z
    .strictObject({
      /** Brain files larger than this are reported and never parsed or written. */
      maxFileBytes: z
        .number()
        .int()
        .positive()
        .default(4 * 1024 * 1024),
    })
    .default({ maxFileBytes: 4 * 1024 * 1024 }),
  sync: syncSchema.default(() => syncSchema.parse({})),
  mine: mineSchema.default(() => mineSchema.parse({})),
  llm: llmSchema.default(() => llmSchema.parse({})),
  dedup: dedupSchema.default(() => dedupSchema.parse({})),
  audit: auditSchema.default(() => auditSchema.parse({})),
  schedule: scheduleSchema.default(() => scheduleSchema.parse({})),
  alerts: alertsSchema.default(() => alertsSchema.parse({})),
  agents: agentsSchema.default({}),
  recall: recallSchema.default(() => recallSchema.parse({})),
  mcp: mcpSchema.default(() => mcpSchema.parse({})),
  search: searchSchema.default(() => searchSchema.parse({})),
  /**
   * The team's skills library: folders holding one folder per skill, each with a `SKILL.md`
   * (frontmatter `name` and `description`). Served read-only by `kb mcp` and `kb search --skills`.
   * Relative paths resolve against the config file's folder.
   */
  skills: z.array(z.string().min(1)).default([]),
});

export type ConfigInput = z.input<typeof configSchema>;
export type ParsedConfig = z.output<typeof configSchema>;
