import { z } from "zod";

/**
 * How `kb search` and the MCP tools read the brain, and what they keep of it. The state database
 * is per host, so each host decides for itself whether its searches are kept.
 */
export const searchSchema = z.strictObject({
  /**
   * Keep every search and read (`kb search`, the MCP tools, the OpenClaw `memory_search` and
   * `memory_get` calls `kb mine` reads) in the state database: the query with secrets redacted,
   * the facts and files returned and, over MCP, the token's name. The audit and `kb status` rank
   * files by reads and list the questions nothing answered. `false` keeps nothing on this host.
   */
  record: z.boolean().default(true),
});
