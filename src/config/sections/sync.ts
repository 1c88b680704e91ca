import { z } from "zod";

export const syncSchema = z.strictObject({
  /** The hub repository: a path to a bare repo, or an ssh:// / user@host:path URL. */
  hub: z.string().optional(),
  /** The branch every host syncs. */
  branch: z.string().default("main"),
  /** The git remote name kb manages in the brain clone. */
  remote: z.string().default("hub"),
  /** Deadline for a whole sync run. */
  deadlineSeconds: z.number().int().positive().default(120),
  /** fetch → merge → push attempts when the hub moved underneath us. */
  pushAttempts: z.number().int().min(1).max(10).default(3),
  /** Refuse a run that would delete more than this share of the brain's files. */
  maxDeleteShare: z.number().min(0).max(1).default(0.25),
  /** The share guard applies once a run deletes at least this many files (small brains churn). */
  massDeleteMinFiles: z.number().int().min(1).default(10),
  sshConnectTimeoutSeconds: z.number().int().positive().default(10),
  /**
   * Private key for the hub (a deploy key), relative to the config file. Used alone
   * (IdentitiesOnly), so neither HOME's keys nor an ssh agent decide which key cron uses.
   */
  sshKey: z.string().optional(),
  /** Push this host's review branches (kb/mine/…) to the hub, where a forge shows them as pull requests. */
  publishReviewBranches: z.boolean().default(true),
});
