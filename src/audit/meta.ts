import { readAliases } from "../brain/aliases.js";
import { type Interval, parseDay, parseInterval } from "./dates.js";

/**
 * Review metadata read from frontmatter, aliases accepted (GOV.UK `last_reviewed_on`/`review_in`,
 * Dataview `last-reviewed`, schema.org `lastReviewed`, `stale_after`, …). Each field remembers
 * the key it was read from, so `kb verify` stamps the key the file already uses.
 */
export const ALIASES = {
  owner: ["owner", "owner_slack", "owners", "maintainer"],
  lastReviewed: [
    "last_reviewed",
    "last_reviewed_on",
    "last-reviewed",
    "lastReviewed",
    "reviewed",
    "reviewed_on",
    "last_review_date",
    "verified_at",
  ],
  reviewedBy: ["reviewed_by", "reviewedBy", "verified_by"],
  reviewEvery: ["review_every", "review_in", "review_cycle", "review_interval", "review_cadence"],
  reviewBy: [
    "review_by",
    "expires",
    "stale_after",
    "next_review",
    "next_review_date",
    "review_next",
    "due_at",
  ],
  evergreen: ["evergreen"],
  status: ["status"],
  reviewReasons: ["review_reasons"],
  about: ["about"],
} as const;

export type MetaField = keyof typeof ALIASES;

export interface MetaProblem {
  key: string;
  message: string;
}

export interface ReviewMeta {
  owner: string | null;
  lastReviewed: string | null;
  reviewedBy: string | null;
  reviewEvery: Interval | null;
  reviewBy: string | null;
  evergreen: boolean;
  status: string | null;
  reviewReasons: string[];
  about: string[];
  /** The frontmatter key each field was read from. */
  keys: Partial<Record<MetaField, string>>;
  problems: MetaProblem[];
}

function pick(data: Record<string, unknown>, field: MetaField): [string, unknown] | null {
  for (const key of ALIASES[field])
    if (data[key] !== undefined && data[key] !== null) return [key, data[key]];
  return null;
}

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v) => v !== null && v !== undefined).map(String);
  if (typeof value === "string" && value.trim()) return [value.trim()];
  return [];
}

export function readReviewMeta(data: Record<string, unknown>): ReviewMeta {
  const problems: MetaProblem[] = [];
  const keys: ReviewMeta["keys"] = {};
  const get = (field: MetaField) => {
    const found = pick(data, field);
    if (found) keys[field] = found[0];
    return found;
  };
  const day = (field: "lastReviewed" | "reviewBy") => {
    const found = get(field);
    if (!found) return null;
    const parsed = parseDay(found[1]);
    if (!parsed) {
      problems.push({
        key: found[0],
        message: `${found[0]}: ${JSON.stringify(found[1])} is not a date; expected YYYY-MM-DD`,
      });
    }
    return parsed;
  };
  const ownerField = get("owner");
  const owner = ownerField ? (list(ownerField[1])[0] ?? null) : null;
  const everyField = get("reviewEvery");
  const reviewEvery = everyField ? parseInterval(everyField[1]) : null;
  if (everyField && !reviewEvery) {
    problems.push({
      key: everyField[0],
      message: `${everyField[0]}: ${JSON.stringify(everyField[1])} is not an interval; expected e.g. 30d, 12w, 3mo, 1y, quarterly`,
    });
  }
  const evergreenField = get("evergreen");
  const reviewedBy = get("reviewedBy");
  const status = get("status");
  const aliases = readAliases(data).problem;
  if (aliases) problems.push({ key: "aliases", message: aliases });
  return {
    owner: owner?.trim() || null,
    lastReviewed: day("lastReviewed"),
    reviewedBy: reviewedBy ? (list(reviewedBy[1])[0] ?? null) : null,
    reviewEvery,
    reviewBy: day("reviewBy"),
    evergreen: evergreenField?.[1] === true || evergreenField?.[1] === "true",
    status: status ? String(status[1]) : null,
    reviewReasons: list(get("reviewReasons")?.[1]),
    about: list(get("about")?.[1]),
    keys,
    problems,
  };
}
