import { z } from "zod";

/**
 * The recall check: after the nightly pipeline, `kb eval recall` runs on this question set and
 * an alert is raised when recall drops or outdated facts reach agents. Off until `set` is given.
 */
export const recallSchema = z.strictObject({
  /** The question set folder (with questions.yaml); relative to the config file. */
  set: z.string().min(1).optional(),
  /** `kb` (kb search) or `openclaw` (what an OpenClaw agent's memory search returns). */
  engine: z.enum(["kb", "openclaw"]).default("kb"),
  /** Facts retrieved per question. */
  k: z.number().int().min(1).max(100).default(6),
  /** Alert when recall@k falls below this share. */
  minRecall: z.number().min(0).max(1).default(0.9),
  /** Alert when recall@k falls by more than this since the previous check. */
  maxDrop: z.number().min(0).max(1).default(0.05),
  /** Alert when the stale-hit rate (questions about changed facts answered with an old value) exceeds this. */
  maxStaleHitRate: z.number().min(0).max(1).default(0),
  /** For the openclaw engine: the command that runs OpenClaw and the agent's HOME. */
  openclaw: z.strictObject({ command: z.string().min(1), home: z.string().min(1).optional() }).optional(),
});
