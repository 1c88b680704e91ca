import { existsSync, readdirSync } from "node:fs";
import { locateRepo } from "../mine/git-output.js";
import { type Mode, modeResolver } from "../mine/modes.js";
import { raiseAlert } from "../runtime/alerts.js";
import type { Context } from "../runtime/context.js";
import type { Logger } from "../runtime/log.js";
import { assessProposals, findReversals } from "./assess.js";
import { activeDemotions, type Demotion, demote, observeMode } from "./demotions.js";
import { configuredMode, folderResolver, unitOf } from "./folders.js";
import { recordNewChanges } from "./records.js";

/**
 * Bring the review records up to date with git: record new changes, settle proposals whose
 * branch was merged or dropped, and demote every folder where a person reverted or rewrote a
 * change kb applied (an alert names the commit). Runs after `kb sync`, `kb accept`, `kb reject`
 * and before every mine and consolidate run, so a demotion holds for the very next run.
 */
export async function refreshAutonomy(
  ctx: Context,
  log: Logger,
): Promise<{ decided: number; demoted: Demotion[] }> {
  const db = ctx.db();
  const cfg = ctx.config.mine;
  const at = ctx.clock.now().toISOString();
  const repo = await locateRepo(ctx.config.brain);
  const demoted: Demotion[] = [];
  let decided = 0;
  if (repo) {
    recordNewChanges(db, folderResolver(cfg.autonomy));
    decided = await assessProposals(db, repo, at);
    const active = activeDemotions(db);
    for (const r of await findReversals(db, repo, at)) {
      decided++;
      if (active.has(r.row.folder) || demoted.some((d) => d.folder === r.row.folder)) continue;
      const d = {
        folder: r.row.folder,
        commit: r.commit,
        author: r.author,
        subject: r.subject,
        path: r.row.path,
        at,
      };
      demote(db, d);
      demoted.push({ id: 0, ...d });
      log.warn("a person reverted a change kb applied; the folder is back in review mode", {
        folder: d.folder,
        commit: d.commit,
        path: d.path,
      });
      await raiseAlert(
        { config: ctx.config, db, log, now: ctx.clock.now() },
        {
          key: `demoted:${d.folder}`,
          kind: "demoted",
          message: `${d.folder} is back in review mode: ${d.author} reverted or rewrote a change kb applied in ${d.path} (commit ${d.commit.slice(0, 10)} "${d.subject}"); kb autonomy lift ${d.folder} gives it back its mine.autonomy mode`,
        },
      );
    }
  }
  observeModes(ctx);
  return { decided, demoted };
}

/** Every folder kb reports on: the brain's top-level folders, the `mine.autonomy` patterns, and folders with records. */
export function knownFolders(ctx: Context): string[] {
  const cfg = ctx.config.mine;
  const patterns = cfg.autonomy.flatMap((r) => r.paths).map(unitOf);
  const top = existsSync(ctx.config.brain)
    ? readdirSync(ctx.config.brain, { withFileTypes: true })
        .filter((e) => e.isDirectory() && !e.name.startsWith(".") && !e.name.startsWith("_"))
        .map((e) => e.name)
    : [];
  const recorded = (
    ctx.db().prepare("SELECT DISTINCT folder FROM autonomy_reviews").all() as { folder: string }[]
  ).map((r) => r.folder);
  return [...new Set([...patterns, ...top, ...recorded])].sort();
}

/** The mode kb runs a folder in: review while demoted, else its configured mode. */
export function effectiveMode(ctx: Context, folder: string, demoted: Set<string>): Mode {
  return demoted.has(folder)
    ? "review"
    : configuredMode(folder, ctx.config.mine.autonomy, ctx.config.mine.mode);
}

function observeModes(ctx: Context): void {
  const db = ctx.db();
  const at = ctx.clock.now().toISOString();
  const demoted = new Set(activeDemotions(db).keys());
  const first = db.prepare(
    "SELECT MIN(proposed_at) AS at FROM autonomy_reviews WHERE folder = ? AND mode = ?",
  );
  for (const folder of knownFolders(ctx)) {
    const mode = effectiveMode(ctx, folder, demoted);
    const earliest = (first.get(folder, mode) as { at: string | null }).at ?? at;
    observeMode(db, folder, mode, at, earliest);
  }
}

/**
 * Where a change goes: `--mode` or `mine.autonomy` (see `modeResolver`), except that a demoted
 * folder is in review mode whatever the command line says, until a person lifts the demotion.
 */
export function autonomyModeFor(ctx: Context, forced: Mode | undefined): (path: string) => Mode {
  const cfg = ctx.config.mine;
  const base = modeResolver(cfg.autonomy, forced ?? cfg.mode, forced !== undefined);
  const demoted = new Set(activeDemotions(ctx.db()).keys());
  if (demoted.size === 0) return base;
  const folderOf = folderResolver(cfg.autonomy);
  return (path) => (demoted.has(folderOf(path)) ? "review" : base(path));
}
