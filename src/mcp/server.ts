import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { KbError } from "../errors.js";
import type { Context } from "../runtime/context.js";
import { readPathMarks } from "../search/marks.js";
import { recordSearch } from "../search/record.js";
import { renderSearch } from "../search/render.js";
import { reviewJudge } from "../search/review.js";
import { openSearch, type Searcher } from "../search/search.js";
import { fileView, findDoc, outline, renderFileView, renderOutline } from "./brain-view.js";

type ToolResult = { content: { type: "text"; text: string }[]; structuredContent?: Record<string, unknown> };

const answer = (text: string, data: Record<string, unknown>): ToolResult => ({
  content: [{ type: "text", text }],
  structuredContent: data,
});

/**
 * The brain as an MCP server: read-only tools that give the same answers as `kb search`, with
 * freshness attached. Every call rescans through the index cache, so an edit is seen at once.
 * A tool that cannot answer throws; the SDK turns that into a tool error and the server stays up.
 * Searches are kept in the state database (`searches`) unless `record` is false.
 */
export function createMcpServer(
  ctx: Context,
  version: string,
  options: { searcher?: Searcher; folders?: string[]; record?: boolean } = {},
): McpServer {
  const server = new McpServer({ name: "kb", version });
  const searcher = options.searcher ?? openSearch(ctx);
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

  server.registerTool(
    "search",
    {
      title: "Search the brain",
      description:
        "Ranked facts from the team's knowledge base (BM25). Each hit gives the fact, its file, section, line, owner and the file's review state (current, due soon, expired, needs review). Archived facts are never returned; facts from expired or needs-review files come last and are marked.",
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
      searcher.refresh();
      const result = searcher.search(query, { k, scope, ...limit });
      if (options.record !== false) recordSearch(ctx.db(), ctx.clock.now().toISOString(), "mcp", result);
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
      searcher.refresh();
      const marks = readPathMarks(ctx.db(), ctx.config.brain, ctx.clock.today());
      const view = fileView(findDoc(searcher.scan(), path), judge(), marks);
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
      searcher.refresh();
      const entries = outline(searcher.scan(), judge(), folder).filter((e) => allowed(e.file));
      if (folder && entries.length === 0)
        throw new KbError(
          "MCP_NO_SUCH_FOLDER",
          `${folder}: no brain files under this folder; call outline without a folder to see them all`,
        );
      return answer(renderOutline(entries) || "the brain holds no files", { files: entries });
    },
  );
  return server;
}
