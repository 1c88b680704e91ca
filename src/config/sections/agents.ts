import { z } from "zod";

/**
 * The agents that read the brain, by id, and where each one's OpenClaw config lives, so
 * `kb agents` and `kb doctor` can check that its memory search reads only current facts.
 *   agents:
 *     finance: { openclawConfig: /home/finance/.openclaw/openclaw.json }
 */
export const agentsSchema = z.record(
  z.string().regex(/^[a-z0-9][a-z0-9_-]*$/i, "expected an agent id (letters, digits, dash, underscore)"),
  z.strictObject({
    /** The agent's `openclaw.json` (JSON5). kb reads it; it never rewrites it. */
    openclawConfig: z.string().min(1).optional(),
  }),
);
