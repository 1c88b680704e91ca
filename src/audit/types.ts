/** The audit's result model: what reports, the launch gate and `--json` are built from. */
export type Severity = "error" | "warning";

export type ReasonCode =
  | "EXPIRED"
  | "DUE_SOON"
  | "INVALID_META"
  | "NO_OWNER"
  | "TEMPORAL_WORD"
  | "BROKEN_LINK"
  | `LAUNCH:${string}`;

export interface Detail {
  code: ReasonCode;
  line: number;
  text: string;
  severity: Severity;
}

export type FileStatus = "ok" | "due-soon" | "expired" | "invalid" | "needs-review" | "evergreen";

export interface FileAudit {
  path: string;
  owner: string | null;
  status: FileStatus;
  /** The review due date, YYYY-MM-DD; null when it cannot be computed. */
  due: string | null;
  lastReviewed: string | null;
  /** Distinct reason codes, most severe first. */
  reasons: ReasonCode[];
  details: Detail[];
  /** Last content edit from git history (bulk commits ignored); never counts as a review. */
  lastEdited?: string;
}

export const SEVERITY: Record<string, Severity> = {
  EXPIRED: "error",
  INVALID_META: "error",
  BROKEN_LINK: "error",
  DUE_SOON: "warning",
  NO_OWNER: "warning",
  TEMPORAL_WORD: "warning",
};

export function severityOf(code: string): Severity {
  return code.startsWith("LAUNCH:") ? "error" : (SEVERITY[code] ?? "warning");
}
