import type { ConfigLocation } from "../config/locate.js";
import type { Context } from "../runtime/context.js";

export interface CheckResult {
  id: string;
  status: "ok" | "warn" | "error";
  message: string;
  /** What a person should do (never "chmod 777"). */
  hint?: string;
  /** Set when `--fix` repaired it. */
  fixed?: boolean;
}

export interface DoctorInput {
  /** Null when the configuration could not be loaded (see the config check). */
  ctx: Context | null;
  location: ConfigLocation;
  fix: boolean;
}

/** A group of checks for one area; sync, mine and ops add their own. */
export type CheckGroup = (input: DoctorInput) => Promise<CheckResult[]>;
