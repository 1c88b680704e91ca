import { readFileSync } from "node:fs";
import { join } from "node:path";
import { scanFromContext } from "../brain/index.js";
import { editBrainFile } from "../brain/write.js";
import { UsageError } from "../errors.js";
import type { Context } from "../runtime/context.js";
import { entityPattern } from "./entities.js";
import { setFields } from "./frontmatter-fields.js";
import { readReviewMeta } from "./meta.js";
import { buildLinkTargets, resolveLink } from "./resolve-links.js";
import { analyseDocs } from "./text-analysis.js";
import type { FileAudit } from "./types.js";

/**
 * The launch gate. Selects the files a launch affects (by `about`, by mentions of the new or
 * superseded entities, by links to files about them), marks the unreviewed ones
 * `status: needs-review` with `review_reasons: [LAUNCH:<id>]`, and passes only when every
 * affected file is reviewed since the launch began and no temporal wording about a superseded
 * entity remains.
 */
export interface LaunchSpec {
  id: string;
  about: string[];
  supersedes: string[];
  /** Reviews on or after this day count (default: the day the launch was first audited). */
  since?: string;
}

export interface AffectedFile {
  path: string;
  owner: string | null;
  why: string[];
  reviewed: boolean;
  /** Marked needs-review by this run (or would be, in a dry run). */
  marked: boolean;
}

export interface LaunchResult extends Required<LaunchSpec> {
  affected: AffectedFile[];
  blockers: { path: string; line: number; text: string }[];
  passed: boolean;
}

export function launchReason(id: string): string {
  return `LAUNCH:${id}`;
}

/** The launch as stored, merged with what was given on the command line; records it on first use. */
export function resolveLaunch(
  ctx: Context,
  given: Partial<LaunchSpec> & { id: string },
): Required<LaunchSpec> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(given.id)) {
    throw new UsageError(
      "BAD_LAUNCH_ID",
      `--launch "${given.id}" must be letters, digits, dot, dash or underscore`,
    );
  }
  const db = ctx.db();
  const brain = ctx.config.brain;
  const row = db
    .prepare("SELECT since, about, supersedes FROM audit_launches WHERE brain = ? AND id = ?")
    .get(brain, given.id) as { since: string; about: string; supersedes: string } | undefined;
  const about = given.about?.length ? given.about : row ? (JSON.parse(row.about) as string[]) : [];
  const supersedes = given.supersedes?.length
    ? given.supersedes
    : row
      ? (JSON.parse(row.supersedes) as string[])
      : [];
  if (about.length === 0) {
    throw new UsageError(
      "LAUNCH_NEEDS_ABOUT",
      `launch ${given.id} is new: name what it is about with --about KEY (e.g. --about collection/fw26)`,
    );
  }
  return { id: given.id, about, supersedes, since: given.since ?? row?.since ?? ctx.clock.today() };
}

export function recordLaunch(ctx: Context, spec: Required<LaunchSpec>): void {
  ctx
    .db()
    .prepare(
      `INSERT INTO audit_launches (brain, id, since, about, supersedes, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (brain, id) DO UPDATE SET since = excluded.since, about = excluded.about, supersedes = excluded.supersedes`,
    )
    .run(
      ctx.config.brain,
      spec.id,
      spec.since,
      JSON.stringify(spec.about),
      JSON.stringify(spec.supersedes),
      ctx.clock.now().toISOString(),
    );
}

/** Which files the launch affects, and why. Reads file bodies for mentions. */
export function selectAffected(ctx: Context, spec: Required<LaunchSpec>): AffectedFile[] {
  const scan = scanFromContext(ctx);
  const entities = [...spec.about, ...spec.supersedes];
  const pattern = entityPattern(entities);
  const text = analyseDocs(scan.brain, scan.docs, ctx.db());
  const targets = buildLinkTargets(
    scan.docs.map((d) => ({ path: d.path, headings: d.headings.map((h) => h.text) })),
    scan.assets,
  );
  const why = new Map<string, string[]>();
  const note = (path: string, reason: string) => why.set(path, [...(why.get(path) ?? []), reason]);
  const metas = new Map(scan.docs.map((d) => [d.path, readReviewMeta(d.frontmatter?.data ?? {})]));
  for (const doc of scan.docs) {
    const about = metas.get(doc.path)!.about.filter((k) => entities.includes(k));
    if (about.length > 0) note(doc.path, `about ${about.join(", ")}`);
    const body = readFileSync(join(scan.brain, doc.path), "utf8").slice(doc.frontmatter?.end ?? 0);
    const named = pattern ? body.match(new RegExp(pattern.source, "giu")) : null;
    if (named) note(doc.path, `mentions ${[...new Set(named.map((n) => n.toLowerCase()))].join(", ")}`);
  }
  const aboutFiles = new Set(
    [...why.entries()].filter(([, w]) => w.some((r) => r.startsWith("about "))).map(([p]) => p),
  );
  for (const doc of scan.docs) {
    const linked = new Set<string>();
    for (const link of text.byPath.get(doc.path)!.links) {
      const dest = resolveLink(doc.path, link, targets);
      if (dest && dest !== doc.path && aboutFiles.has(dest)) linked.add(dest);
    }
    if (linked.size > 0) note(doc.path, `links to ${[...linked].sort().join(", ")}`);
  }
  const reason = launchReason(spec.id);
  return [...why.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([path, reasons]) => {
      const meta = metas.get(path)!;
      const carries = meta.reviewReasons.includes(reason);
      const reviewed = !carries && meta.lastReviewed !== null && meta.lastReviewed >= spec.since;
      return { path, owner: meta.owner, why: reasons, reviewed, marked: !carries && !reviewed };
    });
}

/** Mark each newly affected file: `status: needs-review`, its launch reason added. Minimal diffs. */
export async function markAffected(
  ctx: Context,
  spec: Required<LaunchSpec>,
  affected: AffectedFile[],
  dryRun: boolean,
): Promise<void> {
  const reason = launchReason(spec.id);
  for (const file of affected.filter((f) => f.marked)) {
    await editBrainFile(
      ctx.config.brain,
      file.path,
      (text, doc) => {
        const meta = readReviewMeta(doc.frontmatter?.data ?? {});
        const reasonsKey = meta.keys.reviewReasons ?? "review_reasons";
        return setFields(text, [
          ["status", "needs-review"],
          [reasonsKey, [...meta.reviewReasons, reason]],
        ]);
      },
      { dryRun, maxFileBytes: ctx.config.limits.maxFileBytes },
    );
  }
}

/** Temporal-word errors about a superseded entity: they block the launch wherever they are. */
export function launchBlockers(files: FileAudit[], spec: Required<LaunchSpec>): LaunchResult["blockers"] {
  const pattern = entityPattern(spec.supersedes);
  if (!pattern) return [];
  return files.flatMap((f) =>
    f.details
      .filter((d) => d.code === "TEMPORAL_WORD" && d.severity === "error" && pattern.test(d.text))
      .map((d) => ({ path: f.path, line: d.line, text: d.text })),
  );
}
