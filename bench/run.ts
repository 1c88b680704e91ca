import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import type { BenchModule, BenchOptions, BenchRow } from "./types.js";

/**
 * `npm run bench [-- --quick] [--only AREA,…] [--json] [--docs]`: runs every area's benchmark
 * on seeded synthetic brains, each next to a baseline measured in the same run, and prints a
 * markdown table. `--docs` replaces the table between the bench markers in docs/benchmarks.md.
 */
const AREAS: Record<string, () => Promise<BenchModule>> = {
  startup: () => import("./startup.js"),
  scan: () => import("./scan.js"),
  dedup: () => import("./dedup.js" as string) as Promise<BenchModule>,
  sync: () => import("./sync.js" as string) as Promise<BenchModule>,
  audit: () => import("./audit.js" as string) as Promise<BenchModule>,
  mine: () => import("./mine.js" as string) as Promise<BenchModule>,
  search: () => import("./search.js"),
  hybrid: () => import("./hybrid.js"),
  consolidate: () => import("./consolidate.js"),
  mquake: () => import("./mquake.js"),
};

async function main(argv: string[]): Promise<number> {
  const flag = (name: string) => argv.includes(name);
  const only = argv
    .find((a) => a.startsWith("--only="))
    ?.slice(7)
    .split(",");
  const tmp = mkdtempSync(join(tmpdir(), "kb-bench-"));
  const options: BenchOptions = { quick: flag("--quick"), tmp, seed: 20261124 };
  const rows: BenchRow[] = [];
  try {
    for (const [area, load] of Object.entries(AREAS)) {
      if (only && !only.includes(area)) continue;
      process.stderr.write(`bench: ${area}…\n`);
      try {
        rows.push(...(await (await load()).bench(options)));
      } catch (error) {
        rows.push({
          area,
          name: "(failed to run)",
          value: Number.NaN,
          unit: "count",
          pass: false,
          note: (error as Error).message.split("\n")[0],
        });
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const table = renderTable(rows, options.quick);
  if (flag("--json")) process.stdout.write(`${JSON.stringify({ machine: machine(), rows }, null, 2)}\n`);
  else process.stdout.write(`${table}\n`);
  if (flag("--docs")) updateDocs(table);
  return rows.some((r) => r.pass === false) ? 1 : 0;
}

function machine(): string {
  const cpu = cpus();
  return `${cpu[0]?.model.trim() ?? "unknown CPU"}, ${cpu.length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}, ${new Date().toISOString().slice(0, 10)}`;
}

function renderTable(rows: BenchRow[], quick: boolean): string {
  const lines = [
    `Machine: ${machine()}${quick ? " (quick sizes)" : ""}`,
    "",
    "| area | what | result | baseline (same run) | budget | |",
    "|---|---|---:|---|---|---|",
  ];
  for (const r of rows) {
    const base = r.baseline ? `${r.baseline.name}: ${r.baseline.value} ${r.baseline.unit}` : "";
    const verdict = r.pass === undefined ? "" : r.pass ? "✅" : "❌";
    const note = r.note ? ` (${r.note})` : "";
    lines.push(
      `| ${r.area} | ${r.name} | ${r.value} ${r.unit}${note} | ${base} | ${r.budget ?? ""} | ${verdict} |`,
    );
  }
  return lines.join("\n");
}

function updateDocs(table: string): void {
  const path = join(import.meta.dirname, "../../docs/benchmarks.md");
  const text = readFileSync(path, "utf8");
  const start = "<!-- bench:start -->";
  const end = "<!-- bench:end -->";
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from === -1 || to === -1) throw new Error("docs/benchmarks.md has no bench markers");
  writeFileSync(path, `${text.slice(0, from + start.length)}\n${table}\n${text.slice(to)}`);
}

process.exitCode = await main(process.argv.slice(2));
