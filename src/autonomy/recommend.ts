import type { Mode } from "../mine/modes.js";

/** `mine.promotion`: the schedule a folder must keep to be recommended for apply mode. */
export interface Schedule {
  shadowDays: number;
  minReviewed: number;
  cleanLast: number;
  spacingHours: number;
}

export type Outcome = "pending" | "accepted" | "edited" | "rejected" | "kept" | "reverted" | "replaced";

/** One folder's record, as `kb autonomy` and the audit report show it. */
export interface FolderRecord {
  folder: string;
  /** What kb runs the folder in now: the config's mode, or review while demoted. */
  mode: Mode;
  configured: Mode;
  demotion: { commit: string; author: string; subject: string; path: string; at: string } | null;
  daysInMode: number;
  since: string | null;
  reviewed: number;
  accepted: number;
  edited: number;
  rejected: number;
  pending: number;
  applied: number;
  reverted: number;
  /** Outcomes of the latest reviewed proposals, newest first (at most `cleanLast`). */
  latest: Outcome[];
}

export type Action = "promote" | "wait" | "stay-in-review" | "keep-apply" | "demoted";

export interface Recommendation {
  action: Action;
  reason: string;
}

const DAY = 86_400_000;

/**
 * The playbook's schedule: a folder goes from review to apply after `shadowDays` in review with
 * `minReviewed` reviewed proposals and none of the latest `cleanLast` rejected or edited; one
 * folder per `spacingHours`. kb recommends; a person changes `mine.autonomy`. Pure.
 */
export function recommend(
  folders: FolderRecord[],
  s: Schedule,
  now: Date,
  lastPromotion: { folder: string; at: string } | null,
): Map<string, Recommendation> {
  const out = new Map<string, Recommendation>();
  const eligible: FolderRecord[] = [];
  for (const f of folders) {
    if (f.demotion) {
      out.set(f.folder, {
        action: "demoted",
        reason: `back in review since ${f.demotion.at.slice(0, 10)}: ${f.demotion.author} reverted or rewrote a change kb applied (${f.demotion.commit.slice(0, 10)} "${f.demotion.subject}"); kb autonomy lift ${f.folder} restores ${f.configured} mode`,
      });
    } else if (f.mode === "apply") {
      out.set(f.folder, {
        action: "keep-apply",
        reason: `${f.applied} applied, ${f.reverted} reverted; a revert puts it back in review`,
      });
    } else {
      const missing = shortOf(f, s);
      if (missing) out.set(f.folder, { action: "stay-in-review", reason: missing });
      else eligible.push(f);
    }
  }
  const next = lastPromotion ? Date.parse(lastPromotion.at) + s.spacingHours * 3_600_000 : 0;
  eligible.sort((a, b) => b.reviewed - a.reviewed || b.daysInMode - a.daysInMode);
  for (const [i, f] of eligible.entries()) {
    const proof = `${f.daysInMode} days in review, ${f.reviewed} reviewed, the last ${Math.min(s.cleanLast, f.latest.length)} accepted unedited`;
    if (next > now.getTime())
      out.set(f.folder, {
        action: "wait",
        reason: `${proof}; ${lastPromotion!.folder} moved to apply on ${lastPromotion!.at.slice(0, 10)} and one folder moves per ${s.spacingHours} hours: from ${new Date(next).toISOString().slice(0, 16)}Z`,
      });
    else if (i === 0)
      out.set(f.folder, {
        action: "promote",
        reason: `${proof}: set mine.autonomy for ${f.folder} to apply`,
      });
    else
      out.set(f.folder, {
        action: "wait",
        reason: `${proof}; one folder moves per ${s.spacingHours} hours and ${eligible[0]!.folder} goes first`,
      });
  }
  return out;
}

/** Why a review-mode folder is not ready yet, or null when it is. */
function shortOf(f: FolderRecord, s: Schedule): string | null {
  if (f.reviewed === 0) return "no reviewed proposals yet";
  const bad = f.latest.slice(0, s.cleanLast).filter((o) => o === "rejected" || o === "edited").length;
  if (bad > 0)
    return `${bad} of the last ${Math.min(s.cleanLast, f.latest.length)} reviewed proposals rejected or edited`;
  const needs: string[] = [];
  if (f.daysInMode < s.shadowDays) needs.push(`${f.daysInMode} of ${s.shadowDays} days in review`);
  if (f.reviewed < s.minReviewed) needs.push(`${f.reviewed} of ${s.minReviewed} reviewed proposals`);
  return needs.length > 0 ? needs.join(", ") : null;
}

export function daysBetween(since: string, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(since)) / DAY));
}
