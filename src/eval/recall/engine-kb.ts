import { estimateTokens } from "../../mine/tokens.js";
import type { Context } from "../../runtime/context.js";
import { renderHit } from "../../search/render.js";
import { openSearch } from "../../search/search.js";
import type { Retrieved } from "./score.js";

/** The `kb` engine: `kb search` over the brain; an agent reads each hit with its file and freshness line. */
export async function retrieveWithKb(
  ctx: Context,
  questions: string[],
  k: number,
  expand = true,
): Promise<Retrieved[][]> {
  const searcher = openSearch(ctx);
  searcher.refresh();
  return questions.map((q) =>
    searcher.search(q, { k, expand }).hits.map((hit, i) => ({
      text: hit.text,
      file: hit.file,
      line: hit.line,
      state: hit.state,
      contested: hit.contested !== null,
      tokens: estimateTokens(renderHit(hit, i + 1).join("\n")),
    })),
  );
}
