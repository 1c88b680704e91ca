import { scanFromContext } from "../../brain/index.js";
import { ExitCode } from "../../errors.js";
import type { Context } from "../../runtime/context.js";
import type { CommandInput, CommandOutput } from "../types.js";

export async function run(ctx: Context, _input: CommandInput): Promise<CommandOutput> {
  const started = performance.now();
  const result = scanFromContext(ctx);
  const folders = new Map<string, { files: number; facts: number }>();
  for (const doc of result.docs) {
    const folder = doc.path.includes("/") ? doc.path.slice(0, doc.path.indexOf("/")) : ".";
    const entry = folders.get(folder) ?? { files: 0, facts: 0 };
    entry.files++;
    entry.facts += doc.factCount;
    folders.set(folder, entry);
  }
  const data = {
    brain: result.brain,
    files: result.stats.files,
    facts: result.stats.facts,
    folders: [...folders.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([path, v]) => ({ path, ...v })),
    errors: result.errors,
    index: { parsed: result.stats.parsed, cached: result.stats.cached },
    ms: Math.round(performance.now() - started),
  };
  const lines = [
    `${data.brain}: ${data.files} files, ${data.facts} facts (${data.index.parsed} parsed, ${data.index.cached} from the index cache, ${data.ms} ms)`,
    "",
    ...table(
      ["folder", "files", "facts"],
      data.folders.map((f) => [f.path, String(f.files), String(f.facts)]),
    ),
  ];
  if (data.errors.length > 0) {
    lines.push("", `${data.errors.length} file(s) kb cannot read and will not write:`);
    for (const e of data.errors)
      lines.push(`  ${e.path}${e.line ? `:${e.line}` : ""}  ${e.code}  ${e.message}`);
  }
  return { data, text: lines.join("\n"), exitCode: ExitCode.ok };
}

/** Left-aligned first column, right-aligned numbers. */
export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [fmt(header), ...rows.map(fmt)];
}
