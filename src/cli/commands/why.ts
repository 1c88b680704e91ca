import { scanFromContext } from "../../brain/index.js";
import { UsageError } from "../../errors.js";
import type { Context } from "../../runtime/context.js";
import { findFacts } from "../../why/find.js";
import { renderStory } from "../../why/render.js";
import { factStory } from "../../why/story.js";
import type { CommandInput, CommandOutput } from "../types.js";

/** `kb why FILE:LINE | "fact text"`: where a fact came from, from this host's state database and git. */
export async function run(ctx: Context, input: CommandInput): Promise<CommandOutput> {
  const target = input.args.join(" ").trim();
  if (!target) throw new UsageError("WHY_EMPTY", 'name a fact: kb why FILE:LINE or kb why "fact text"');
  const scan = scanFromContext(ctx, { includeArchive: true });
  const facts = findFacts(scan.docs, target);
  const stories = [];
  for (const fact of facts) {
    const doc = scan.docs.find((d) => d.path === fact.path)!;
    stories.push(await factStory(ctx.db(), ctx.config.brain, doc, fact));
  }
  return { data: { target, facts: stories }, text: stories.map(renderStory).join("\n\n") };
}
