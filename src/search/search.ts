import picomatch from "picomatch";
import { scanFromContext } from "../brain/index.js";
import type { ScanResult } from "../brain/scan.js";
import { configuredScopes } from "../dedup/scopes.js";
import { errorMessage, UsageError } from "../errors.js";
import type { Context } from "../runtime/context.js";
import { candidates, POSTINGS_BUDGET } from "./candidates.js";
import type { Embedder } from "./embedder.js";
import { conceptsSaid, type ScoredRow, withExpansions } from "./expand.js";
import { type FusedRow, fuse, type Via } from "./fusion.js";
import { openVectorSearch } from "./hybrid.js";
import { type IndexSync, syncSearchIndex } from "./index-store.js";
import { readPathMarks } from "./marks.js";
import { exactNames, namesOnlyByStem, queryWords } from "./query.js";
import { isStale, type ReviewState, reviewJudge } from "./review.js";
import type { FactVector } from "./vectors.js";
import {
  type Expansion,
  expandQuery,
  loadVocabulary,
  type NameGroup,
  ownTerms,
  queryConcepts,
} from "./vocabulary.js";

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
  /** BM25 score (higher is better); with hybrid retrieval, the fused reciprocal-rank score. */
  score: number;
  /** Hybrid retrieval only: found by BM25, by embedding similarity, or by both. */
  via?: Via;
  /** Hybrid retrieval only: the hit's 1-based rank in each list (null: not in it). */
  ranks?: FusedRow["ranks"];
}

export interface SearchOptions {
  k?: number;
  /** A dedup scope name (config dedup.scopes) or a top-level folder of the brain. */
  scope?: string;
  /** Only paths this allows (an MCP token's folders). */
  allow?: (path: string) => boolean;
  /** Also search for the other names the brain's glossary and `aliases:` give a query's words (default true). */
  expand?: boolean;
}

export interface SearchResult {
  query: string;
  brain: string;
  hits: SearchHit[];
  /** The names the query was also searched for, each with the words it held and where the vocabulary says so. */
  expanded: Expansion[];
  /** Vocabulary the brain gets wrong (a malformed `aliases:` key), by file and key; the rest still applies. */
  problems: string[];
  /** The share of the query's words (or their other names) the first hit says; 0 without hits. */
  coverage: number;
  /** Said when there is nothing to search (empty brain, every file unreadable). */
  note?: string;
  index: IndexSync & { files: number; unreadable: number };
  /** Hybrid retrieval: the model, the facts embedded by this search (new text), and the vectors held. */
  hybrid?: { model: string; embedded: number; vectors: number };
  /** Set when hybrid retrieval was asked for but failed: the hits are BM25's alone, and this says why. */
  warning?: string;
  ms: number;
}

export const DEFAULT_K = 6;

/** A search's words ranked by BM25 (with the vocabulary's names), before hits are built. */
interface Lexical {
  result: SearchResult;
  rows: ScoredRow[];
  concepts: string[][][];
  inScope: (path: string) => boolean;
  k: number;
  started: number;
}

/**
 * A searcher over the configured brain. `refresh` scans (through the index cache) and brings the
 * search index in step; `search` ranks facts by BM25 and puts current files first; `searchHybrid`
 * fuses that ranking with embedding similarity when `search.embeddings` is set (and is `search`
 * when it is not). `kb search`, the MCP server and `kb eval recall` all read the brain through it.
 */
export function openSearch(
  ctx: Context,
  tuning: { postingsBudget?: number; embedder?: Embedder; hybrid?: boolean } = {},
) {
  const budget = tuning.postingsBudget ?? POSTINGS_BUDGET;
  let last: SearchResult["index"] | null = null;
  let lastScan: ScanResult | null = null;
  let vocabulary: { groups: NameGroup[]; problems: string[] } | null = null;
  let hybrid: ReturnType<typeof openVectorSearch> | null = null;
  const refresh = () => {
    const scan = scanFromContext(ctx);
    lastScan = scan;
    const sync = syncSearchIndex(ctx.db(), scan.brain, scan.docs);
    if (sync.indexed > 0 || sync.removed > 0) {
      vocabulary = null;
      hybrid?.invalidate();
    }
    const unreadable = scan.errors.filter((e) => e.code !== "WORLD_WRITABLE" && e.code !== "SYMLINK").length;
    last = { ...sync, files: scan.docs.length, unreadable };
    return last;
  };
  const lexical = (query: string, options: SearchOptions): Lexical | SearchResult => {
    const started = performance.now();
    const k = options.k ?? DEFAULT_K;
    const words = queryWords(query);
    const names = exactNames(query);
    const index = last ?? refresh();
    const inScope = scopeFilter(ctx, options.scope);
    const brain = ctx.config.brain;
    const result: SearchResult = {
      query,
      brain,
      hits: [],
      expanded: [],
      problems: [],
      coverage: 0,
      index,
      ms: 0,
    };
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
    vocabulary ??= loadVocabulary(ctx.db(), brain);
    result.problems = vocabulary.problems;
    if (options.expand !== false) result.expanded = expandQuery(vocabulary.groups, words);
    const terms = ownTerms(words, result.expanded);
    const exact = candidates(ctx.db(), terms, brain, limit, budget);
    const concepts = queryConcepts(terms, result.expanded);
    const rows = withExpansions(ctx.db(), exact, result.expanded, concepts, brain, limit).filter(
      (r) => inScope(r.path) && allow(r.path) && !namesOnlyByStem(names, r),
    );
    return { result, rows, concepts, inScope: (p) => inScope(p) && allow(p), k, started };
  };
  const finish = (
    found: Lexical,
    rows: (ScoredRow & Partial<Pick<FusedRow, "via" | "ranks" | "relevant">>)[],
  ) => {
    const { result, concepts, k, started } = found;
    const brain = ctx.config.brain;
    const judge = reviewJudge(ctx.config, ctx.clock.today());
    const metaOf = ctx.db().prepare("SELECT meta FROM search_docs WHERE brain = ? AND path = ?").pluck();
    const reviews = new Map<string, ReturnType<typeof judge>>();
    const marks = readPathMarks(ctx.db(), brain, ctx.clock.today());
    const fused = rows.some((r) => r.via);
    // Fused scores are small (two lists give at most 2/61): keep enough places to tell them apart.
    const places = fused ? 1e6 : 1e3;
    const relevant = new Set<SearchHit>();
    const hits = rows
      .filter((r) => !marks.replaced.has(`${r.path}\n${r.text}`))
      .map((r): SearchHit => {
        let review = reviews.get(r.path);
        if (!review) {
          review = judge(r.path, JSON.parse((metaOf.get(brain, r.path) as string | undefined) ?? "{}"));
          reviews.set(r.path, review);
        }
        const hit: SearchHit = {
          text: r.text,
          file: r.path,
          section: r.section,
          line: r.line,
          owner: review.owner,
          state: review.state,
          due: review.due,
          reason: review.reason,
          contested: marks.contested.get(`${r.path}\n${r.text}`) ?? null,
          score: Math.round(r.score * places) / places,
          ...(r.via ? { via: r.via, ranks: r.ranks } : {}),
        };
        if (r.relevant) relevant.add(hit);
        return hit;
      });
    // Fused scores say little about how well a fact matches; each ranking's own rule does.
    result.hits = freshFirst(hits, fused ? (h) => relevant.has(h) : undefined).slice(0, k);
    const first = result.hits[0];
    result.coverage = first
      ? Math.round(conceptsSaid(concepts, { ...first, path: first.file }) * 100) / 100
      : 0;
    result.ms = elapsed(started);
    return result;
  };
  const search = (query: string, options: SearchOptions = {}): SearchResult => {
    const found = lexical(query, options);
    return "rows" in found ? finish(found, found.rows) : found;
  };
  const searchHybrid = async (query: string, options: SearchOptions = {}): Promise<SearchResult> => {
    const config = ctx.config.search.embeddings;
    if (!config || tuning.hybrid === false) return search(query, options);
    const found = lexical(query, options);
    if (!("rows" in found)) return found;
    let rows: ScoredRow[] = found.rows;
    try {
      hybrid ??= openVectorSearch(ctx.db, ctx.config.brain, config, tuning.embedder);
      const glossary = new Set(found.result.expanded.map((e) => e.from));
      // Vectors exist only for indexed (searchable) facts; the test per fact stays cheap at 200k.
      const keep =
        glossary.size === 0
          ? (f: FactVector) => found.inScope(f.path)
          : (f: FactVector) => found.inScope(f.path) && !glossary.has(`${f.path}:${f.line}`);
      const ranking = await hybrid.nearest(query, keep, Math.max(30, found.k * 5));
      rows = fuse(found.rows, ranking.similar, RELEVANT_SHARE);
      found.result.hybrid = { model: ranking.model, embedded: ranking.embedded, vectors: ranking.vectors };
    } catch (error) {
      found.result.warning = `hybrid search unavailable, BM25 results only: ${errorMessage(error)}`;
      ctx.log.warn("embeddings failed; searched by BM25 only", { error: errorMessage(error) });
    }
    return finish(found, rows);
  };
  /** The scan behind the index (refreshing first when there is none yet). */
  const scan = (): ScanResult => {
    if (!lastScan) refresh();
    return lastScan!;
  };
  return { refresh, search, searchHybrid, scan };
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
 * Relevant: at least `RELEVANT_SHARE` of the best score, unless `relevant` says (hybrid: each ranking's own rule).
 */
export function freshFirst(hits: SearchHit[], relevant?: (hit: SearchHit) => boolean): SearchHit[] {
  const best = Math.max(0, ...hits.map((h) => h.score));
  const good = relevant ?? ((h: SearchHit) => h.score >= best * RELEVANT_SHARE);
  const band = (h: SearchHit) => (good(h) ? 0 : 2) + (isStale(h.state) || h.contested ? 1 : 0);
  return [...hits].sort((a, b) => band(a) - band(b) || b.score - a.score);
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}
