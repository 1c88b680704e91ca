import { join } from "node:path";
import { medianCommand, round } from "./measure.js";
import type { BenchOptions, BenchRow } from "./types.js";

/** `kb --version` and `kb --help` cold start against `node -e 0` (budget: ≤ 3×). */
export async function bench(options: BenchOptions): Promise<BenchRow[]> {
  const runs = options.quick ? 7 : 21;
  const bin = join(import.meta.dirname, "../../bin/kb.js");
  const node = await medianCommand(runs, process.execPath, ["-e", "0"]);
  const version = await medianCommand(runs, process.execPath, [bin, "--version"]);
  const help = await medianCommand(runs, process.execPath, [bin, "--help"]);
  const baseline = { name: "node -e 0", value: round(node * 1000, 1), unit: "ms" };
  return [
    {
      area: "startup",
      name: "kb --version",
      value: round(version * 1000, 1),
      unit: "ms",
      baseline,
      budget: "≤ 3× node -e 0",
      pass: version <= 3 * node,
      note: `${round(version / node, 2)}×`,
    },
    {
      area: "startup",
      name: "kb --help",
      value: round(help * 1000, 1),
      unit: "ms",
      baseline,
      note: `${round(help / node, 2)}×`,
    },
  ];
}
