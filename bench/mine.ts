import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { preprocess } from "../src/mine/preprocess.js";
import { parseLog } from "../src/mine/readers/index.js";
import { estimateTokens } from "../src/mine/tokens.js";
import type { SourceKind } from "../src/mine/types.js";
import { stsbDir } from "./eval-stsb.js";
import { median, round } from "./measure.js";
import type { BenchOptions, BenchRow } from "./types.js";

/** The sample transcripts: the bundled Fjord & Finch logs and the real public samples. */
function sampleLogs(): { kind: SourceKind; file: string; buf: Buffer }[] {
  let root = import.meta.dirname;
  while (!existsSync(join(root, "package.json"))) root = join(root, "..");
  const files: { kind: SourceKind; file: string }[] = [];
  const add = (kind: SourceKind, dir: string) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (e.isFile() && e.name.endsWith(".jsonl")) files.push({ kind, file: join(e.parentPath, e.name) });
    }
  };
  add("openclaw-jsonl", join(root, "examples/sessions/openclaw"));
  add("claude-code", join(root, "examples/sessions/claude-code"));
  const shared = join(stsbDir(), "sessions");
  if (existsSync(join(shared, "openclaw-v3-sample.jsonl")))
    files.push({ kind: "openclaw-jsonl", file: join(shared, "openclaw-v3-sample.jsonl") });
  if (existsSync(join(shared, "claude-code-sample.jsonl")))
    files.push({ kind: "claude-code", file: join(shared, "claude-code-sample.jsonl") });
  return files.map((f) => ({ ...f, buf: readFileSync(f.file) }));
}

/**
 * Preprocessing throughput (read → parse → drop noise → cut bulk → redact) in MB/s of raw
 * transcript, against a baseline of plain JSON.parse over the same lines, and the share of raw
 * transcript tokens that survive preprocessing (budget ≤ 35%).
 */
export async function bench(options: BenchOptions): Promise<BenchRow[]> {
  const logs = sampleLogs();
  const bytes = logs.reduce((a, l) => a + l.buf.length, 0);
  const repeat = options.quick ? 20 : 100;
  const pipeline = () => {
    for (let r = 0; r < repeat; r++) {
      for (const l of logs) preprocess(parseLog(l.kind, l.file, l.buf, 0, "2026-11-24").entries);
    }
  };
  const baseline = () => {
    for (let r = 0; r < repeat; r++) {
      for (const l of logs) for (const line of l.buf.toString("utf8").split("\n")) if (line) JSON.parse(line);
    }
  };
  const mb = (bytes * repeat) / 1e6;
  const tPipe = await median(3, pipeline);
  const tBase = await median(3, baseline);
  let raw = 0;
  let kept = 0;
  for (const l of logs) {
    raw += estimateTokens(l.buf.toString("utf8"));
    const pre = preprocess(parseLog(l.kind, l.file, l.buf, 0, "2026-11-24").entries);
    kept += estimateTokens(pre.kept.map((e) => e.text).join("\n"));
  }
  const share = (100 * kept) / raw;
  return [
    {
      area: "mine",
      name: `preprocess ${logs.length} sample transcripts (${round(bytes / 1024, 1)} KiB)`,
      value: round(mb / tPipe, 1),
      unit: "MB/s",
      baseline: { name: "JSON.parse of the same lines", value: round(mb / tBase, 1), unit: "MB/s" },
    },
    {
      area: "mine",
      name: "raw transcript tokens kept after preprocessing",
      value: round(share, 1),
      unit: "%",
      budget: "≤ 35%",
      pass: share <= 35,
      note: `${kept} of ${raw} estimated tokens`,
    },
  ];
}
