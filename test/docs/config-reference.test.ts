import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/index.js";

const script = join(repoRoot, "scripts/config-reference.mjs");

interface Row {
  name: string;
  type: string;
  default: string;
  description?: string;
}
const generator = (await import(script)) as {
  START: string;
  END: string;
  referenceRows: () => Row[];
  staleNotes: () => string[];
};

describe("docs/configuration.md", () => {
  it("holds the reference the config schema generates today", () => {
    const r = spawnSync(process.execPath, [script], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const doc = readFileSync(join(repoRoot, "docs/configuration.md"), "utf8");
    const from = doc.indexOf(generator.START);
    const to = doc.indexOf(generator.END);
    expect(from, "docs/configuration.md lost its config-reference markers").toBeGreaterThan(-1);
    const committed = doc.slice(from + generator.START.length, to).trim();
    expect(committed, "docs/configuration.md is stale: run `npm run docs:config` and commit it").toBe(
      r.stdout.trim(),
    );
  });

  it("describes every key, from the schema's source comments or the script's notes", () => {
    const rows = generator.referenceRows();
    expect(rows.filter((r) => !r.description).map((r) => r.name)).toEqual([]);
    expect(generator.staleNotes(), "notes in scripts/config-reference.mjs that describe no key").toEqual([]);
  });

  it("reads types, defaults and descriptions from the schema itself", () => {
    const row = (name: string) => generator.referenceRows().find((r) => r.name === name);
    // a nested key: its comment in src/config/sections/dedup.ts, its default from the parsed schema
    expect(row("dedup.thresholds.auto")).toEqual({
      name: "dedup.thresholds.auto",
      type: "number, 0.5–1",
      default: "`0.9`",
      description: "Auto-remove at or above this, when every guard passes.",
    });
    // a key inside a list item, typed by the shared cron schema
    expect(row("dedup.scopes[].at")?.type).toBe("cron expression");
    // a default applied by a transform (globs), which the JSON Schema alone does not carry
    expect(row("mine.allowedPaths")?.default).toBe('`["**/*.md"]`');
    // a map's entries, described by the comments of the referenced price schema
    expect(row("llm.prices.<name>.input")?.description).toBe("USD per million prompt tokens.");
    // a default from the job registry rather than the schema
    expect(row("schedule.sync")?.default).toBe("`*/30 * * * *` (the job registry)");
  });
});
