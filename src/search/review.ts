import { readReviewMeta } from "../audit/meta.js";
import { buildLinkTargets } from "../audit/resolve-links.js";
import { auditFile, defaultIntervals, type RuleContext } from "../audit/rules.js";
import type { FileStatus } from "../audit/types.js";
import type { Config } from "../config/load.js";

/** A file's freshness as agents are told it: the audit's verdict on its review dates and marks. */
export type ReviewState = "current" | "due soon" | "expired" | "needs review";

export interface Review {
  state: ReviewState;
  /** The review due date, YYYY-MM-DD, when the file has one. */
  due: string | null;
  owner: string | null;
  /** Why the file is not current, for people and agents (empty when it is). */
  reason: string;
}

const STATE: Record<FileStatus, ReviewState> = {
  ok: "current",
  evergreen: "current",
  "due-soon": "due soon",
  expired: "expired",
  "needs-review": "needs review",
  invalid: "needs review",
};

/** Expired and needs-review files rank after current ones. */
export function isStale(state: ReviewState): boolean {
  return state === "expired" || state === "needs review";
}

/**
 * The review state of files from their frontmatter, with the same rules, intervals and due-soon
 * window as `kb audit` (only the frontmatter rules apply: wording and links do not change a file's
 * freshness). Pure: "today" is passed in.
 */
export function reviewJudge(
  config: Pick<Config, "audit">,
  today: string,
): (path: string, frontmatter: Record<string, unknown>) => Review {
  const rules: RuleContext = {
    today,
    dueSoonDays: config.audit.dueSoonDays,
    defaultInterval: defaultIntervals(config.audit.reviewEvery, config.audit.rules),
    links: buildLinkTargets([], []),
    suggestOwner: () => null,
    superseded: [],
  };
  return (path, frontmatter) => {
    const meta = readReviewMeta(frontmatter);
    const audit = auditFile(path, meta, { keyLines: {}, temporal: [], links: [] }, rules);
    const state = STATE[audit.status];
    const reasons = audit.details.filter((d) => d.code !== "NO_OWNER" && d.code !== "DUE_SOON");
    return {
      state,
      due: audit.due,
      owner: audit.owner,
      reason:
        state === "current" || state === "due soon" ? "" : (reasons[0]?.text ?? `status: ${meta.status}`),
    };
  };
}
