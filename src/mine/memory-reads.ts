import { realpathSync } from "node:fs";
import { posix, resolve } from "node:path";
import { stripKbComments } from "../brain/provenance.js";
import type { BrainDoc } from "../brain/types.js";
import type { Context } from "../runtime/context.js";
import { conceptsSaid } from "../search/expand.js";
import { queryWords } from "../search/query.js";
import { recordRetrieval, WEAK_COVERAGE } from "../search/record.js";
import { queryConcepts } from "../search/vocabulary.js";
import type { FileWork } from "./plan.js";
import type { LogEntry, MemoryCall } from "./types.js";

/**
 * Keep the brain reads found in agents' logs: every `memory_search` and `memory_get` call whose
 * results include brain files becomes a retrieval (source `openclaw`, the agent as caller) in the
 * state database, beside kb's own searches. A search that found nothing in the brain is kept too,
 * as a question the brain did not answer. Each call is kept once, however often its log is read.
 * Returns how many calls were newly kept.
 */
export function recordMemoryReads(ctx: Context, work: FileWork[], docs: BrainDoc[]): number {
  const brain = ctx.config.brain;
  const locate = brainLocator(brain, docs);
  let kept = 0;
  for (const w of work) {
    const workspaces = guessWorkspaces(resolve(ctx.config.baseDir, w.source.path), w.source.agent);
    for (const entry of w.retrievals) {
      const call = entry.retrieval!;
      const located = call.results.map((r) => ({ result: r, facts: locate(r, workspaces) }));
      const returned = located.flatMap((l) => l.facts);
      // The first result that is a brain file: how much of the query it says, as kb measures its own.
      const first = located.find((l) => l.facts.length > 0);
      const coverage = first ? coverageOf(call.query, first.result.snippet ?? "", first.facts[0]!.path) : 0;
      const bestScore = first?.result.score ?? null;
      const isSearch = call.tool === "memory_search";
      if (!isSearch && returned.length === 0) continue;
      const recorded = recordRetrieval(ctx.db(), {
        at: entry.at || ctx.clock.now().toISOString(),
        brain,
        source: "openclaw",
        tool: call.tool,
        caller: w.source.agent,
        query: call.query,
        returned,
        bestScore,
        coverage: isSearch ? coverage : 1,
        weak: isSearch && (returned.length === 0 || coverage < WEAK_COVERAGE),
        ref: refOf(w, entry, call),
      });
      if (recorded) kept++;
    }
  }
  return kept;
}

type Located = { path: string; line: number | null; fact: string | null };

/**
 * A function from one memory-tool result to the brain facts it returned (the facts within its
 * lines), or the whole file when it names no lines; nothing when the path is not a brain file.
 * OpenClaw gives extra paths relative to the agent's workspace (`../../../srv/kb/brain/x.md`).
 */
function brainLocator(brain: string, docs: BrainDoc[]) {
  let root = resolve(brain);
  try {
    root = realpathSync(brain);
  } catch {
    // A brain that is not there has no files to match; the suffix match below finds none.
  }
  const byPath = new Map(docs.map((d) => [d.path, d]));
  const brainPath = (path: string, workspaces: string[]): string | null => {
    const posixPath = path.split("\\").join("/");
    for (const ws of workspaces) {
      const abs = posix.resolve(ws.split("\\").join("/"), posixPath);
      if (abs.startsWith(`${root}/`) && byPath.has(abs.slice(root.length + 1)))
        return abs.slice(root.length + 1);
    }
    // Outside the workspace (the workspace was not where kb guessed): the longest tail that is a brain file.
    if (!posixPath.startsWith("../") && !posixPath.startsWith("/")) return null;
    const parts = posix.normalize(posixPath).split("/");
    for (let i = 0; i < parts.length; i++) {
      const tail = parts.slice(i).join("/");
      if (byPath.has(tail)) return tail;
    }
    return null;
  };
  return (result: MemoryCall["results"][number], workspaces: string[]): Located[] => {
    const path = brainPath(result.path, workspaces);
    if (!path) return [];
    const doc = byPath.get(path)!;
    if (result.from === undefined) return [{ path, line: null, fact: null }];
    const to = result.to ?? result.from;
    const facts = doc.facts
      .filter((f) => f.line >= result.from! && f.line <= to)
      .map((f) => ({ path, line: f.line, fact: stripKbComments(f.text) }))
      .filter((f) => f.fact !== "");
    return facts.length > 0 ? facts : [{ path, line: null, fact: null }];
  };
}

/** Where an agent's workspace is, from where its logs are: `<openclaw>/workspace` or `<openclaw>/workspace-<agent>`. */
function guessWorkspaces(sourcePath: string, agent: string): string[] {
  const parts = sourcePath.split(/[\\/]/);
  const at = parts.lastIndexOf("agents");
  const home = at > 0 ? parts.slice(0, at).join("/") : sourcePath;
  return [`${home}/workspace`, `${home}/workspace-${agent}`];
}

/** How much of the query the first brain result says, as kb measures its own searches. */
function coverageOf(query: string, snippet: string, path: string): number {
  let words: string[];
  try {
    words = queryWords(query);
  } catch {
    return 0;
  }
  const said = conceptsSaid(queryConcepts(words, []), { text: snippet, section: "", path });
  return Math.round(said * 100) / 100;
}

function refOf(w: FileWork, entry: LogEntry, call: MemoryCall): string {
  return `openclaw:${w.source.agent}:${entry.session ?? w.read.file}:${call.callId}`;
}
