import { errorMessage } from "../errors.js";
import { createEmbedder } from "../search/embedder.js";
import type { CheckGroup } from "./types.js";

/**
 * `search.embeddings`: whether the endpoint embeds a text now, with how many dimensions, and how
 * much of the brain is embedded. A failing endpoint is a warning: searches fall back to BM25.
 */
export const searchChecks: CheckGroup = async ({ ctx }) => {
  const config = ctx?.config.search.embeddings;
  if (!ctx || !config) return [];
  const where = `search.embeddings ${config.model} at ${config.baseUrl}`;
  try {
    const [vector] = await createEmbedder({ ...config, maxRetries: 0 }).embed(["kb doctor"]);
    const row = ctx
      .db()
      .prepare(
        `SELECT count(*) AS facts, count(v.hash) AS embedded FROM search_facts f
         LEFT JOIN search_vectors v ON v.model = ? AND v.hash = f.text_hash WHERE f.brain = ?`,
      )
      .get(config.model, ctx.config.brain) as { facts: number; embedded: number };
    return [
      {
        id: "embeddings",
        status: "ok",
        message: `${where} answers (${vector?.length ?? 0} dimensions); ${row.embedded} of ${row.facts} indexed facts embedded`,
      },
    ];
  } catch (error) {
    return [
      {
        id: "embeddings",
        status: "warn",
        message: `search.embeddings does not answer: ${errorMessage(error)}`,
        hint: "start the embedding server (or fix search.embeddings); until then kb search and kb mcp return BM25 results with a warning",
      },
    ];
  }
};
