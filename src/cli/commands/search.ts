import { ExitCode, UsageError } from "../../errors.js";
import type { Context } from "../../runtime/context.js";
import { recordSearch } from "../../search/record.js";
import { renderSearch } from "../../search/render.js";
import { DEFAULT_K, openSearch } from "../../search/search.js";
import { loadSkills, searchSkills } from "../../skills/library.js";
import type { CommandInput, CommandOutput } from "../types.js";

/**
 * `kb search QUERY [--k N] [--scope NAME] [--no-expand] [--no-record]`: ranked current facts, with
 * file, section, owner and freshness, fused with embedding similarity when `search.embeddings` is
 * set. The search is kept in the state database unless --no-record.
 */
export async function run(ctx: Context, { args, opts }: CommandInput): Promise<CommandOutput> {
  const query = args.join(" ").trim();
  if (opts.skills === true) return skills(ctx, query, parseK(opts.k ?? 5));
  const result = await openSearch(ctx).searchHybrid(query, {
    k: parseK(opts.k),
    scope: typeof opts.scope === "string" ? opts.scope : undefined,
    expand: opts.expand !== false,
  });
  if (opts.record !== false && ctx.config.search.record)
    recordSearch(ctx.db(), ctx.clock.now().toISOString(), "cli", result);
  return { data: result, text: renderSearch(result), exitCode: ExitCode.ok };
}

/** `kb search --skills QUERY`: the skills library's best matches, name, category and description. */
function skills(ctx: Context, query: string, k: number): CommandOutput {
  if (ctx.config.skills.length === 0)
    throw new UsageError("NO_SKILLS", "no skills library configured: set skills: [FOLDER, …] in the config");
  const library = loadSkills(ctx.config.skills);
  const hits = searchSkills(library, query, k);
  const found = hits.length
    ? hits.map(
        (h, i) =>
          `${i + 1}. ${h.skill.name} (${h.skill.category}): ${h.skill.description}\n   ${h.skill.path}`,
      )
    : [`no skill matches "${query}" among ${library.skills.length}`];
  // A skill kb cannot serve is named, never skipped in silence.
  const text = [...found, ...library.problems.map((p) => `not served: ${p.path}: ${p.message}`)].join("\n");
  return {
    data: {
      query,
      hits: hits.map((h) => ({ ...h.skill, body: undefined, score: h.score })),
      skills: library.skills.length,
      problems: library.problems,
    },
    text,
  };
}

/** `--k`: how many facts to return, 1 to 100. */
export function parseK(value: unknown): number {
  if (value === undefined) return DEFAULT_K;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100)
    throw new UsageError(
      "BAD_K",
      `--k "${String(value)}" is not valid; expected a whole number from 1 to 100`,
    );
  return n;
}
