import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { KbError } from "../errors.js";
import type { Context } from "../runtime/context.js";
import { readPathMarks } from "../search/marks.js";
import { recordRetrieval, recordSearch } from "../search/record.js";
import { renderSearch } from "../search/render.js";
import { reviewJudge } from "../search/review.js";
import { openSearch, type Searcher } from "../search/search.js";
import { findSkill, loadSkills, searchSkills } from "../skills/library.js";
import { fileView, findDoc, outline, renderFileView, renderOutline } from "./brain-view.js";

/** When each shared searcher last rescanned the brain, and how long that took (the HTTP server shares one). */
const refreshedAt = new WeakMap<Searcher, { at: number; ms: number }>();

/** A shared searcher rescans at most this often, in multiples of its last rescan's time: ≤ 10% of the time scanning. */
const SCAN_SHARE = 10;

type ToolResult = { content: { type: "text"; text: string }[]; structuredContent?: Record<string, unknown> };

const answer = (text: string, data: Record<string, unknown>): ToolResult => ({
  content: [{ type: "text", text }],
  structuredContent: data,
});

/**
 * The brain as an MCP server: read-only tools that give the same answers as `kb search`, with
 * freshness attached. Every call rescans through the index cache, so an edit is seen at once.
 * A tool that cannot answer throws; the SDK turns that into a tool error and the server stays up.
 * Searches and file reads are kept in the state database (`searches`, `reads`) with the caller,
 * unless `record` is false or the host's `search.record` is.
 */
export function createMcpServer(
  ctx: Context,
  version: string,
  options: {
    searcher?: Searcher;
    folders?: string[];
    record?: boolean;
    /** Who is calling (the HTTP token's name), kept with each retrieval; else the client's own name. */
    caller?: string | null;
    /**
     * Rescan at most this often (the HTTP server, many clients), and never more often than ten
     * times the last rescan took (a 200k-fact brain rescans in about 0.2 s); default: on every call.
     */
    refreshEveryMs?: number;
  } = {},
): McpServer {
  const server = new McpServer({ name: "kb", version });
  const searcher = options.searcher ?? openSearch(ctx);
  const refresh = () => {
    const every = options.refreshEveryMs ?? 0;
    const last = refreshedAt.get(searcher);
    if (every > 0 && last && performance.now() - last.at < Math.max(every, last.ms * SCAN_SHARE)) return;
    const started = performance.now();
    searcher.refresh();
    refreshedAt.set(searcher, { at: performance.now(), ms: performance.now() - started });
  };
  // A token limited to some top-level folders sees nothing else, and is told so.
  const folders = options.folders ?? [];
  const allowed = (path: string) => folders.length === 0 || folders.includes(path.split("/")[0]!);
  const limit = folders.length ? { allow: allowed } : {};
  const outside = (what: string) =>
    new KbError(
      "MCP_OUTSIDE_TOKEN",
      `${what}: outside the folders this token may read (${folders.join(", ")})`,
    );
  const judge = () => reviewJudge(ctx.config, ctx.clock.today());
  const recording = options.record !== false && ctx.config.search.record;
  // Over HTTP the token's name; over stdio the name the client gave when it connected.
  const callerOf = () => options.caller ?? server.server.getClientVersion()?.name ?? null;

  server.registerTool(
    "search",
    {
      title: "Search the brain",
      description:
        "Ranked facts from the team's knowledge base (BM25, fused with embedding similarity when the host configures embeddings). Each hit gives the fact, its file, section, line, owner and the file's review state (current, due soon, expired, needs review). Archived facts are never returned; facts from expired or needs-review files come last and are marked.",
      inputSchema: {
        query: z.string().min(1).describe("words or a question, e.g. 'returns window for sale items'"),
        k: z.number().int().min(1).max(50).optional().describe("how many facts (default 6)"),
        scope: z
          .string()
          .min(1)
          .optional()
          .describe("a top-level folder such as finance, or a configured scope"),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ query, k, scope }) => {
      refresh();
      const result = await searcher.searchHybrid(query, { k, scope, ...limit });
      if (recording) recordSearch(ctx.db(), ctx.clock.now().toISOString(), "mcp", result, callerOf());
      return answer(renderSearch(result).replace(/^kb search: /, ""), { ...result });
    },
  );

  server.registerTool(
    "read_file",
    {
      title: "Read a brain file's current facts",
      description:
        "The current facts of one brain file, by section with line numbers, plus its owner and review state. Paths are relative to the brain (the outline tool lists them).",
      inputSchema: { path: z.string().min(1).describe("e.g. customer-service/policies/returns.md") },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ path }) => {
      if (!allowed(path.trim().replace(/^\.?\/+/, ""))) throw outside(path);
      refresh();
      const marks = readPathMarks(ctx.db(), ctx.config.brain, ctx.clock.today());
      const view = fileView(findDoc(searcher.scan(), path), judge(), marks);
      if (recording)
        recordRetrieval(ctx.db(), {
          at: ctx.clock.now().toISOString(),
          brain: ctx.config.brain,
          source: "mcp",
          tool: "read_file",
          caller: callerOf(),
          query: view.file,
          returned: [{ path: view.file, line: null, fact: null }],
          bestScore: null,
          coverage: 1,
          weak: false,
        });
      return answer(renderFileView(view), { ...view });
    },
  );

  server.registerTool(
    "outline",
    {
      title: "Outline of the brain",
      description:
        "Every live brain file with its title, owner, review state and sections (with fact counts); optionally only one folder.",
      inputSchema: { folder: z.string().min(1).optional().describe("e.g. finance or retail/stores") },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ folder }) => {
      refresh();
      const entries = outline(searcher.scan(), judge(), folder).filter((e) => allowed(e.file));
      if (folder && entries.length === 0)
        throw new KbError(
          "MCP_NO_SUCH_FOLDER",
          `${folder}: no brain files under this folder; call outline without a folder to see them all`,
        );
      return answer(renderOutline(entries) || "the brain holds no files", { files: entries });
    },
  );
  if (ctx.config.skills.length > 0) registerSkills(server, ctx);
  return server;
}

/** The team's skills library (config `skills`): list by category, search, read one in full. */
function registerSkills(server: McpServer, ctx: Context): void {
  const library = () => loadSkills(ctx.config.skills);
  const readOnly = { readOnlyHint: true, openWorldHint: false };
  server.registerTool(
    "list_skills",
    {
      title: "List the team's skills",
      description:
        "Every skill (a how-to procedure) by category, with its name and description; optionally one category.",
      inputSchema: {
        category: z.string().min(1).optional().describe("a category (folder) from an earlier listing"),
      },
      annotations: readOnly,
    },
    async ({ category }) => {
      const skills = library().skills.filter((s) => !category || s.category === category);
      if (category && skills.length === 0)
        throw new KbError(
          "MCP_NO_SUCH_CATEGORY",
          `${category}: no skills in this category; call list_skills without one`,
        );
      const rows = skills.map(({ name, description, category: c }) => ({ name, description, category: c }));
      return answer(rows.map((r) => `${r.category} / ${r.name}: ${r.description}`).join("\n"), {
        skills: rows,
      });
    },
  );
  server.registerTool(
    "search_skills",
    {
      title: "Search the team's skills",
      description: "Skills whose name, description or procedure match the words (BM25), best first.",
      inputSchema: {
        query: z.string().min(1).describe("what you want to do, e.g. 'publish a skill'"),
        k: z.number().int().min(1).max(20).optional().describe("how many skills (default 5)"),
      },
      annotations: readOnly,
    },
    async ({ query, k }) => {
      const hits = searchSkills(library(), query, k ?? 5).map((h) => ({
        name: h.skill.name,
        description: h.skill.description,
        category: h.skill.category,
        score: h.score,
      }));
      const text = hits.map((h, i) => `${i + 1}. ${h.name} (${h.category}): ${h.description}`).join("\n");
      return answer(text || "no skill matches; list_skills shows them all", { hits });
    },
  );
  server.registerTool(
    "read_skill",
    {
      title: "Read one skill in full",
      description: "A skill's whole SKILL.md procedure, by the name list_skills or search_skills gave.",
      inputSchema: { name: z.string().min(1).describe("e.g. clawhub") },
      annotations: readOnly,
    },
    async ({ name }) => {
      const skill = findSkill(library(), name);
      if (!skill)
        throw new KbError("MCP_NO_SUCH_SKILL", `${name}: no such skill; list_skills shows them all`);
      return answer(`# ${skill.name}\n\n${skill.description}\n\n${skill.body}`, {
        name: skill.name,
        category: skill.category,
        description: skill.description,
        body: skill.body,
      });
    },
  );
}
