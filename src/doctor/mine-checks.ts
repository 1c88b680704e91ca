import { formatProblem } from "../config/issues.js";
import { missingSourcePaths } from "../mine/sources.js";
import type { CheckGroup } from "./types.js";

/** Every mine source's path exists: a typo would otherwise mine nothing, quietly, forever. */
export const mineChecks: CheckGroup = async ({ ctx }) => {
  if (!ctx || ctx.config.mine.sources.length === 0) return [];
  const missing = missingSourcePaths(ctx.config);
  const total = ctx.config.mine.sources.length;
  if (missing.length === 0)
    return [
      {
        id: "mine-sources",
        status: "ok",
        message: `${total === 1 ? "the mine source's path exists" : `all ${total} mine source paths exist`}`,
      },
    ];
  return missing.map((m) => ({
    id: "mine-sources",
    status: "error" as const,
    message: formatProblem(m.problem),
    hint: "fix the path in the config, or remove the source",
  }));
};
