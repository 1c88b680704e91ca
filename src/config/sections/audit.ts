import { z } from "zod";
import { durationSchema, globsSchema } from "./common.js";

export const auditSchema = z.strictObject({
  /** Review interval for files that set none. */
  reviewEvery: durationSchema.default("90d"),
  /** Per-path defaults; the first matching rule wins. */
  rules: z.array(z.strictObject({ paths: globsSchema, reviewEvery: durationSchema })).default([]),
  /** Files due within this many days are DUE_SOON. */
  dueSoonDays: z.number().int().min(0).default(14),
  /** Target share of files reviewed within their interval. */
  target: z.number().min(0).max(1).default(0.8),
  /** Overdue this many days and not edited for as long: listed as an archive candidate. */
  archiveAfterDays: z.number().int().min(1).default(180),
  /** Read git history for last edits (a secondary signal; edits never count as reviews). */
  gitHistory: z.boolean().default(true),
  /** Commits touching more files than this are bulk (formatters, renames) and ignored. */
  bulkCommitFiles: z.number().int().min(1).default(20),
  /** Report formats `kb audit` writes to the reports folder. */
  formats: z.array(z.enum(["md", "json", "html"])).default(["md", "json", "html"]),
});
