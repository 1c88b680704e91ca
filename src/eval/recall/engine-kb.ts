import { estimateTokens } from "../../mine/tokens.js";
import type { Context } from "../../runtime/context.js";
import { renderHit } from "../../search/render.js";
import { openSearch } from "../../search/search.js";
import type { Retrieved } from "./score.js";

/** What the kb engine retrieved per question, and why hybrid retrieval fell back to BM25 (if it did). */
export interface KbRetrieval {
  hits: Retrieved[][];
  warnings: string[];
}

/**
 * The `kb` engine: `kb search` over the brain; an agent reads each hit with its file and freshness
 * line. `hybrid` fuses BM25 with embedding similarity as `kb search` does when `search.embeddings`
 * is set; without it the ranking is BM25's alone.
 */
export async function retrieveWithKb(
  ctx: Context,
  questions: string[],
  k: number,
  options: { expand?: boolean; hybrid?: boolean } = {},
): Promise<KbRetrieval> {
  const searcher = openSearch(ctx, { hybrid: options.hybrid === true });
  searcher.refresh();
  const warnings = new Set<string>();
  const hits: Retrieved[][] = [];
  for (const q of questions) {
    const result = await searcher.searchHybrid(q, { k, expand: options.expand !== false });
    if (result.warning) warnings.add(result.warning);
    hits.push(
      result.hits.map((hit, i) => ({
        text: hit.text,
        file: hit.file,
        line: hit.line,
        state: hit.state,
        contested: hit.contested !== null,
        tokens: estimateTokens(renderHit(hit, i + 1).join("\n")),
      })),
    );
  }
  return { hits, warnings: [...warnings] };
}
