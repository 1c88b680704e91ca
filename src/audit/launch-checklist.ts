import type { LaunchResult } from "./launch.js";

/** The "update the agent knowledge base" item of a launch checklist: per owner, one box per file. */
export function launchChecklist(launch: LaunchResult): string[] {
  const open = launch.affected.filter((a) => !a.reviewed).length;
  const out = [
    `## Launch ${launch.id}: update the agent knowledge base`,
    "",
    `${launch.affected.length} affected files · ${launch.affected.length - open} reviewed · ${open} open · ${launch.blockers.length} blocking wording · gate ${launch.passed ? "**passed**" : "**not passed**"}`,
    "",
  ];
  const owners = new Map<string, LaunchResult["affected"]>();
  for (const a of launch.affected) {
    const key = a.owner ?? "(no owner)";
    owners.set(key, [...(owners.get(key) ?? []), a]);
  }
  for (const [owner, files] of [...owners.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    out.push(`### ${owner}`, "");
    for (const f of files) {
      const box = f.reviewed ? "[x]" : "[ ]";
      const next = f.reviewed ? "" : `; then \`kb verify ${f.path}\``;
      out.push(`- ${box} \`${f.path}\` (${f.why.join("; ")})${next}`);
    }
    out.push("");
  }
  if (launch.blockers.length > 0) {
    out.push("### Wording that must change", "");
    for (const b of launch.blockers) out.push(`- [ ] \`${b.path}:${b.line}\` ${b.text}`);
    out.push("");
  }
  return out.map((l) => l).slice(0, out.at(-1) === "" ? -1 : undefined);
}
