import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { executeAudit } from "../src/audit/run.js";
import { scanBrain } from "../src/brain/scan.js";
import { createContext } from "../src/runtime/context.js";
import { silentLogger } from "../src/runtime/log.js";
import { openDb } from "../src/state/db.js";
import { standardBrain } from "./generate.js";
import { median, round } from "./measure.js";
import type { BenchOptions, BenchRow } from "./types.js";

/**
 * `kb audit` of a 10k-file brain, reports (md, json, html) and snapshot included: with the index
 * and text caches warm (budget ≤ 2 s) and cold (empty state, every file read and parsed), each
 * next to the scan alone in the same state, measured in the same run.
 */
export async function bench(options: BenchOptions): Promise<BenchRow[]> {
  const root = join(options.tmp, "audit");
  const brain = join(root, "brain");
  const state = join(root, "state");
  const { label } = await standardBrain(brain, options);
  const config = join(root, "kb.config.yaml");
  writeFileSync(
    config,
    `host: bench\nbrain: ./brain\nstate: ./state\nreports: ./reports\naudit: { gitHistory: false }\n`,
  );
  const context = () => createContext({ config, asOf: "2026-11-24" }, { log: silentLogger, cwd: root });
  const audit = async () => {
    const ctx = context();
    try {
      return await executeAudit(ctx, { formats: ["md", "json", "html"], failOn: "never", dryRun: false });
    } finally {
      ctx.close();
    }
  };
  const scanOnly = () => {
    const db = openDb(state);
    try {
      return scanBrain({ brain, db });
    } finally {
      db.close();
    }
  };

  const cold = await median(3, async () => {
    rmSync(state, { recursive: true, force: true });
    await audit();
  });
  const coldScan = await median(3, () => {
    rmSync(state, { recursive: true, force: true });
    scanOnly();
  });
  await audit();
  const warm = await median(5, audit);
  const warmScan = await median(5, scanOnly);
  const last = await audit();
  const note = `${last.report.summary.files} files, ${last.report.files.reduce((n, f) => n + f.details.length, 0)} findings, text cache ${last.report.stats.textCached}/${last.report.stats.scanned}`;
  return [
    {
      area: "audit",
      name: `kb audit, warm index cache, ${label}`,
      value: round(warm),
      unit: "s",
      baseline: { name: "unchanged re-scan alone", value: round(warmScan), unit: "s" },
      budget: "≤ 2 s",
      pass: warm <= 2,
      note,
    },
    {
      area: "audit",
      name: `kb audit, cold (empty state), ${label}`,
      value: round(cold),
      unit: "s",
      baseline: { name: "cold scan alone", value: round(coldScan), unit: "s" },
      note: "reported, no budget",
    },
  ];
}
