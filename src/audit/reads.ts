import { differenceInCalendarDays, parseISO } from "date-fns";
import { daysBefore, fileReads, mostRead, type ReadFile, readsSince, timesRead } from "../search/reads.js";
import type { Db } from "../state/db.js";

/** How far back "read this month" looks. */
export const READ_MONTH_DAYS = 30;
/** A file no agent read for this long is an archive candidate (once reads are kept that long). */
export const UNREAD_DAYS = 90;

/** A file as the reads lists need it: who owns it, and whether agents are told it is stale. */
export interface FileFreshness {
  path: string;
  owner: string | null;
  /** Expired or needs review. */
  stale: boolean;
  due: string | null;
}

/** A stale file agents still read, with how often this month and how far past its review. */
export interface StaleRead {
  path: string;
  owner: string | null;
  reads: number;
  /** Days since the review fell due; null when the file has no due date (marked for review). */
  daysOverdue: number | null;
}

export interface ReadsReport {
  /** Whether this host keeps reads (`search.record`). */
  recording: boolean;
  /** When the first retrieval was kept; null: none yet. */
  since: string | null;
  /** The files read most in the last 30 days. */
  mostRead: ReadFile[];
  /** Stale files read in the last 30 days, most read first: the reviews that matter most. */
  staleRead: StaleRead[];
  /** Files no agent read in 90 days; null until reads have been kept for 90 days. */
  unread: string[] | null;
}

/**
 * What agents read, for the audit and `kb status`: the most read files, the stale files they
 * still read ("read 140 times this month, 60 days past review" first), and the files never read
 * in 90 days. The unread list waits until reads cover the whole 90 days: before that, "never read"
 * would only mean "not yet recorded".
 */
export function readsReport(
  db: Db,
  options: { brain: string; now: Date; files: FileFreshness[]; recording: boolean; limit?: number },
): ReadsReport {
  const { brain, now, files } = options;
  const limit = options.limit ?? 20;
  const month = daysBefore(now, READ_MONTH_DAYS);
  const byPath = fileReads(db, brain, month);
  const today = now.toISOString().slice(0, 10);
  const staleRead = files
    .filter((f) => f.stale && (byPath.get(f.path) ?? 0) > 0)
    .map((f) => ({
      path: f.path,
      owner: f.owner,
      reads: byPath.get(f.path)!,
      daysOverdue: f.due ? Math.max(0, differenceInCalendarDays(parseISO(today), parseISO(f.due))) : null,
    }))
    .sort(
      (a, b) =>
        b.reads - a.reads || (b.daysOverdue ?? 0) - (a.daysOverdue ?? 0) || a.path.localeCompare(b.path),
    )
    .slice(0, limit);
  const since = readsSince(db, brain);
  const quarter = daysBefore(now, UNREAD_DAYS);
  let unread: string[] | null = null;
  if (since !== null && since <= quarter) {
    const read = fileReads(db, brain, quarter);
    unread = files.filter((f) => !read.has(f.path)).map((f) => f.path);
  }
  return {
    recording: options.recording,
    since,
    mostRead: mostRead(db, brain, month, limit),
    staleRead,
    unread,
  };
}

/** "read 140 times this month, 60 days past review". */
export function staleReadLine(s: StaleRead): string {
  const late = s.daysOverdue === null ? "marked for review" : `${s.daysOverdue} days past review`;
  return `${s.path}: ${timesRead(s.reads)} this month, ${late}${s.owner ? ` (${s.owner})` : ""}`;
}
