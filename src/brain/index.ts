import type { Context } from "../runtime/context.js";
import { type ScanOptions, type ScanResult, scanBrain } from "./scan.js";

/** Scan the configured brain with the context's index cache, limits and ignore globs. */
export function scanFromContext(ctx: Context, options: { includeArchive?: boolean } = {}): ScanResult {
  return scanBrain(scanOptions(ctx, options));
}

function scanOptions(ctx: Context, options: { includeArchive?: boolean }): ScanOptions {
  return {
    brain: ctx.config.brain,
    db: ctx.db(),
    maxFileBytes: ctx.config.limits.maxFileBytes,
    ignore: ctx.config.ignore,
    includeArchive: options.includeArchive,
  };
}
