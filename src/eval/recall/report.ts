import { existsSync } from "node:fs";
import { join } from "node:path";
import { writeAtomic } from "../../runtime/atomic.js";
import type { RecallResult } from "./run.js";

const pct = (v: number | null) => (v === null ? "—" : `${Math.round(v * 1000) / 10}%`);

/** The headline line: what people and alerts read. */
export function headline(r: Pick<RecallResult, "k" | "score">): string {
  const s = r.score;
  return (
    `recall@${r.k} ${pct(s.recall)}, stale-hit rate ${pct(s.staleHitRate)} (${pct(s.unmarkedStaleHitRate)} with no warning; ${s.changed} questions about changed facts), ` +
    `MRR ${s.mrr.toFixed(3)}, ${Math.round(s.tokensPerQuestion)} tokens read per question`
  );
}

export function renderText(r: RecallResult, reports: { markdown: string; json: string }): string {
  const misses = r.questions.filter((q) => q.rank === null).map((q) => q.id);
  const stale = r.questions
    .filter((q) => q.staleFound.length > 0)
    .map((q) => (q.staleUnmarked.length > 0 ? q.id : `${q.id} (marked)`));
  const h = r.hybrid;
  const missedHybrid = h?.questions.filter((q) => q.rank === null).map((q) => q.id);
  return [
    `eval recall: ${r.set.name}, ${r.set.questions} questions, engine ${r.engine}, ${(r.ms / 1000).toFixed(1)} s`,
    ...(h
      ? [
          `lexical (BM25):  ${headline(r)}`,
          `hybrid (${h.model}):  ${headline({ k: r.k, score: h.score })}`,
          `missed, lexical: ${misses.join(", ") || "none"}; hybrid: ${missedHybrid!.join(", ") || "none"}`,
          ...h.warnings.map((w) => `warning: ${w}`),
        ]
      : [headline(r), `missed: ${misses.join(", ") || "none"}`]),
    `stale hits: ${stale.join(", ") || "none"}`,
    `report ${reports.markdown}`,
  ].join("\n");
}

function scoreRow(name: string, s: RecallResult["score"]): string {
  return `| ${name} | ${pct(s.recall)} | ${pct(s.staleHitRate)} | ${pct(s.unmarkedStaleHitRate)} | ${pct(s.changedRecall)} | ${s.mrr.toFixed(3)} | ${Math.round(s.tokensPerQuestion)} |`;
}

export function renderMarkdown(r: RecallResult): string {
  const s = r.score;
  const h = r.hybrid;
  const out = [
    `# kb eval recall — ${r.date}, engine ${r.engine}`,
    "",
    `Set **${r.set.name}** (\`${r.set.dir}\`), ${r.set.questions} questions, top ${r.k} per question, brain \`${r.brain}\`.`,
    "",
    "| engine | recall@k | stale-hit rate | stale, no warning | recall on changed facts | MRR | tokens read / question |",
    "|---|---:|---:|---:|---:|---:|---:|",
    scoreRow(h ? `${r.engine}, lexical (BM25)` : r.engine, s),
    ...(h ? [scoreRow(`${r.engine}, hybrid (${h.model})`, h.score)] : []),
    "",
    ...(h?.warnings.length ? [...h.warnings.map((w) => `Warning: ${w}`), ""] : []),
    "Recall@k: share of questions whose answer string is in a top-k hit outside `_archive/`. Stale-hit rate: share",
    `of the ${s.changed} questions about facts that changed where a top-k hit holds an outdated value, even next to the`,
    "right one; with no warning: counting only stale hits not marked contested or from an expired or needs-review file.",
    "MRR: mean of 1/rank of the first right hit. Tokens: what an agent reads for the k hits (estimated).",
    "",
    "## Per question",
    "",
    h
      ? "| id | rank | hybrid rank | stale found | tokens | first hit |"
      : "| id | rank | stale found | tokens | first hit |",
    h ? "|---|---:|---:|---|---:|---|" : "|---|---:|---|---:|---|",
    ...r.questions.map((q, i) => {
      const first = q.hits[0];
      const where = first
        ? `\`${first.file}${first.line ? `:${first.line}` : ""}\` ${cell(first.text)}`
        : "—";
      const fused = h ? ` ${h.questions[i]?.rank ?? "miss"} |` : "";
      return `| ${q.id} | ${q.rank ?? "miss"} |${fused} ${q.staleFound.map(cell).join("; ") || ""} | ${q.tokens} | ${where} |`;
    }),
  ];
  return `${out.join("\n")}\n`;
}

function cell(text: string): string {
  const flat = text.replace(/\s+/g, " ").replaceAll("|", "\\|").trim();
  return flat.length > 90 ? `${flat.slice(0, 89)}…` : flat;
}

export function toJson(r: RecallResult, reports?: { markdown: string; json: string }) {
  return { ...r, reports };
}

/** `<reports>/eval/recall-<date>-<engine>.md` and `.json` (`-2`, `-3`… for more runs that day). */
export async function writeRecallReports(
  reportsDir: string,
  r: RecallResult,
): Promise<{ markdown: string; json: string }> {
  const dir = join(reportsDir, "eval");
  let base = join(dir, `recall-${r.date}-${r.engine}`);
  for (let n = 2; existsSync(`${base}.md`) || existsSync(`${base}.json`); n++)
    base = join(dir, `recall-${r.date}-${r.engine}-${n}`);
  const paths = { markdown: `${base}.md`, json: `${base}.json` };
  await writeAtomic(paths.markdown, renderMarkdown(r));
  await writeAtomic(paths.json, `${JSON.stringify(toJson(r, paths), null, 2)}\n`);
  return paths;
}
