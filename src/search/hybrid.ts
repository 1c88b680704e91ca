import type { EmbeddingsConfig } from "../config/sections/search.js";
import type { Db } from "../state/db.js";
import { createEmbedder, type Embedder, EmbeddingsError } from "./embedder.js";
import { nearest } from "./fusion.js";
import { type FactVector, factVectors, syncVectors, unit, type VectorSync } from "./vectors.js";

/** The facts nearest a query, and what finding them cost. */
export interface VectorRanking {
  similar: (FactVector & { similarity: number })[];
  model: string;
  /** Facts this search had to embed first (new text since the last search). */
  embedded: number;
  vectors: number;
}

/**
 * The vector side of hybrid search over one brain: brings the vectors in step with the search
 * index once (again after `invalidate`, when the index changed), keeps them in memory, and ranks
 * the facts `keep` allows by cosine similarity to each query. Concurrent searches (the MCP HTTP
 * server) share one embedding of the new facts. Throws `EmbeddingsError` (or a `ConfigError` for
 * an unset key) for the caller to fall back on.
 */
export function openVectorSearch(db: () => Db, brain: string, config: EmbeddingsConfig, given?: Embedder) {
  let embedder: Embedder | null = given ?? null;
  let loaded: Promise<{ sync: VectorSync; facts: FactVector[]; reported: boolean }> | null = null;
  return {
    invalidate() {
      loaded = null;
    },
    async nearest(query: string, keep: (f: FactVector) => boolean, n: number): Promise<VectorRanking> {
      embedder ??= createEmbedder(config);
      const model = embedder;
      loaded ??= syncVectors(db(), brain, model).then((sync) => ({
        sync,
        facts: factVectors(db(), brain, model.model),
        reported: false,
      }));
      const pending = loaded;
      const state = await pending.catch((error: unknown) => {
        if (loaded === pending) loaded = null;
        throw error;
      });
      const [asked] = await model.embed([query]);
      const dims = state.facts[0]?.vector.length;
      if (!asked || (dims !== undefined && asked.length !== dims))
        throw new EmbeddingsError(
          "EMBEDDINGS_DIMENSIONS",
          `model ${model.model} returned a query vector of ${asked?.length ?? 0} dimensions where the facts' have ${dims}`,
        );
      const embedded = state.reported ? 0 : state.sync.embedded;
      state.reported = true;
      return {
        similar: nearest(unit(asked), state.facts.filter(keep), n),
        model: model.model,
        embedded,
        vectors: state.sync.vectors,
      };
    },
  };
}
