import picomatch from "picomatch";
import { scanFromContext } from "../brain/index.js";
import type { ScanResult } from "../brain/scan.js";
import { configuredScopes } from "../dedup/scopes.js";
import { UsageError } from "../errors.js";
import type { Context } from "../runtime/context.js";
import { candidates, POSTINGS_BUDGET } from "./candidates.js";
import { type IndexSync, syncSearchIndex } from "./index-store.js";
import { readPathMarks } from "./marks.js";
import { queryWords } from "./query.js";
import { isStale, type ReviewState, reviewJudge } from "./review.js";

/** One fact found: what an agent reads, where it lives, and how fresh its file is. */
export interface SearchHit {
  /** The fact without kb's comments. */
  text: string;
  file: string;
  section: string;
  line: number;
  owner: string | null;
  state: ReviewState;
  due: string | null;
  /** Why the file is not current (empty when it is). */
  reason: string;
  /** Set while a person has to settle a contradiction this fact is part of (see `kb settle`). */
  contested: string | null;
  /** BM25 score (higher is better). */
  score: number;
}

export interface SearchOptions {
  k?: number;
  /** A dedup scope name (config dedup.scopes) or a top-level folder of the brain. */
  scope?: string;
  /** Only paths this allows (an MCP token's folders). */
  allow?: (path: string) => boolean;
}

export interface SearchResult {
  query: string;
  brain: string;
  hits: SearchHit[];
  /** Said when there is nothing to search (empty brain, every file unreadable). */
  note?: string;
  index: IndexSync & { files: number; unreadable: number };
  ms: number;
}

export const DEFAULT_K = 6;

/**
 * A searcher over the configured brain. `refresh` scans (through the index cache) and brings the
 * search index in step; `search` ranks facts by BM25 and puts current files first. `kb search`, the
 * MCP server and `kb eval recall` all read the brain through it.
 */
export function openSearch(ctx: Context, tuning: { postingsBudget?: number } = {}) {
  const budget = tuning.postingsBudget ?? POSTINGS_BUDGET;
  let last: SearchResult["index"] | null = null;
  let lastScan: ScanResult | null = null;
  const refresh = () => {
    const scan = scanFromContext(ctx);
    lastScan = scan;
    const sync = syncSearchIndex(ctx.db(), scan.brain, scan.docs);
    const unreadable = scan.errors.filter((e) => e.code !== "WORLD_WRITABLE" && e.code !== "SYMLINK").length;
    last = { ...sync, files: scan.docs.length, unreadable };
    return last;
  };
  const search = (query: string, options: SearchOptions = {}): SearchResult => {
    const started = performance.now();
    const k = options.k ?? DEFAULT_K;
    const words = queryWords(query);
    const index = last ?? refresh();
    const inScope = scopeFilter(ctx, options.scope);
    const brain = ctx.config.brain;
    const result: SearchResult = { query, brain, hits: [], index, ms: 0 };
    if (index.files === 0) {
      result.note =
        index.unreadable > 0
          ? `none of the brain's ${index.unreadable} markdown file(s) can be read; kb scan lists each one and why`
          : `the brain at ${brain} holds no markdown files outside _archive/; nothing to search`;
      result.ms = elapsed(started);
      return result;
    }
    const limit = Math.max(200, k * 20) * (options.scope || options.allow ? 10 : 1);
    const allow = options.allow ?? (() => true);
    const rows = candidates(ctx.db(), words, brain, limit, budget).filter(
      (r) => inScope(r.path) && allow(r.path),
    );
    const judge = reviewJudge(ctx.config, ctx.clock.today());
    const metaOf = ctx.db().prepare("SELECT meta FROM search_docs WHERE brain = ? AND path = ?").pluck();
    const reviews = new Map<string, ReturnType<typeof judge>>();
    const marks = readPathMarks(ctx.db(), brain, ctx.clock.today());
    const hits = rows
      .filter((r) => !marks.replaced.has(`${r.path}\n${r.text}`))
      .map((r): SearchHit => {
        let review = reviews.get(r.path);
        if (!review) {
          review = judge(r.path, JSON.parse((metaOf.get(brain, r.path) as string | undefined) ?? "{}"));
          reviews.set(r.path, review);
        }
        return {
          text: r.text,
          file: r.path,
          section: r.section,
          line: r.line,
          owner: review.owner,
          state: review.state,
          due: review.due,
          reason: review.reason,
          contested: marks.contested.get(`${r.path}\n${r.text}`) ?? null,
          score: Math.round(-r.rank * 1000) / 1000,
        };
      });
    result.hits = freshFirst(hits).slice(0, k);
    result.ms = elapsed(started);
    return result;
  };
  /** The scan behind the index (refreshing first when there is none yet). */
  const scan = (): ScanResult => {
    if (!lastScan) refresh();
    return lastScan!;
  };
  return { refresh, search, scan };
}

export type Searcher = ReturnType<typeof openSearch>;

/** Paths a `--scope` covers: a configured dedup scope, else a top-level folder; anything else is an error. */
export function scopeFilter(ctx: Context, name: string | undefined): (path: string) => boolean {
  if (name === undefined) return () => true;
  const scope = ctx.config.dedup.scopes.find((s) => s.name === name);
  if (scope) {
    const globs = scope.paths.flatMap((p) => (/[*?[{]/.test(p) ? [p] : [p, `${p.replace(/\/$/, "")}/**`]));
    return picomatch(globs, { dot: false });
  }
  const folder = name.replace(/\/+$/, "");
  const known = ctx
    .db()
    .prepare(
      "SELECT DISTINCT substr(path, 1, instr(path, '/') - 1) FROM search_docs WHERE brain = ? AND instr(path, '/') > 0",
    )
    .pluck()
    .all(ctx.config.brain) as string[];
  if (!known.includes(folder)) {
    const scopes = configuredScopes(ctx.config).map((s) => s.name);
    throw new UsageError(
      "SEARCH_UNKNOWN_SCOPE",
      `--scope "${name}" is neither a dedup scope (${scopes.join(", ")}) nor a top-level folder of the brain (${known.sort().join(", ") || "none"})`,
    );
  }
  return (path) => path.startsWith(`${folder}/`);
}

/** Hits that match about as well as the best one (this share of its score) are "relevant". */
export const RELEVANT_SHARE = 0.5;

/**
 * Among the relevant hits, facts from current files come before facts from expired or
 * needs-review files and contested facts; each group stays in BM25 order. Weaker matches follow, current first too, so
 * a stale fact that answers the question still outranks a current one that merely shares a word.
 */
export function freshFirst(hits: SearchHit[]): SearchHit[] {
  const best = Math.max(0, ...hits.map((h) => h.score));
  const band = (h: SearchHit) =>
    (h.score >= best * RELEVANT_SHARE ? 0 : 2) + (isStale(h.state) || h.contested ? 1 : 0);
  return [...hits].sort((a, b) => band(a) - band(b) || b.score - a.score);
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}
