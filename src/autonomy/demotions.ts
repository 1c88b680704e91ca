import type { Db } from "../state/db.js";

/** A folder put back in review mode because a person reverted or rewrote a change kb applied there. */
export interface Demotion {
  id: number;
  folder: string;
  commit: string;
  author: string;
  subject: string;
  path: string;
  at: string;
}

/** Folders demoted and not lifted yet, by folder (the first demotion counts). */
export function activeDemotions(db: Db): Map<string, Demotion> {
  const rows = db
    .prepare(
      `SELECT id, folder, commit_sha AS "commit", author, subject, path, at FROM autonomy_demotions
       WHERE lifted_at IS NULL ORDER BY id DESC`,
    )
    .all() as Demotion[];
  return new Map(rows.map((r) => [r.folder, r]));
}

export function demote(db: Db, d: Omit<Demotion, "id">): void {
  db.prepare(
    "INSERT INTO autonomy_demotions (folder, commit_sha, author, subject, path, at) VALUES (?, ?, ?, ?, ?, ?)",
  ).run(d.folder, d.commit, d.author, d.subject, d.path, d.at);
}

/** A person lifts a demotion: the folder runs in its configured mode again. Returns how many were lifted. */
export function lift(db: Db, folder: string, at: string): number {
  return db
    .prepare("UPDATE autonomy_demotions SET lifted_at = ? WHERE folder = ? AND lifted_at IS NULL")
    .run(at, folder).changes;
}

/** The mode history: when kb started running a folder in the mode it runs it in now. */
export function modeSince(db: Db, folder: string): { mode: string; since: string } | undefined {
  return db
    .prepare("SELECT mode, since FROM autonomy_modes WHERE folder = ? ORDER BY since DESC LIMIT 1")
    .get(folder) as { mode: string; since: string } | undefined;
}

/** Record the mode a folder runs in, when it changed (or was never seen). */
export function observeMode(db: Db, folder: string, mode: string, at: string, firstSince: string): void {
  const last = modeSince(db, folder);
  if (last?.mode === mode) return;
  if (last && last.since > at) return;
  const since = last ? at : firstSince < at ? firstSince : at;
  db.prepare("INSERT OR REPLACE INTO autonomy_modes (folder, mode, since) VALUES (?, ?, ?)").run(
    folder,
    mode,
    since,
  );
}

/** The latest move of any folder from review to apply (a person's config change, or a lifted demotion). */
export function lastPromotion(db: Db): { folder: string; at: string } | null {
  const row = db
    .prepare(
      `SELECT m.folder, m.since AS at FROM autonomy_modes m WHERE m.mode = 'apply' AND EXISTS
         (SELECT 1 FROM autonomy_modes p WHERE p.folder = m.folder AND p.since < m.since)
       ORDER BY m.since DESC LIMIT 1`,
    )
    .get() as { folder: string; at: string } | undefined;
  return row ?? null;
}
