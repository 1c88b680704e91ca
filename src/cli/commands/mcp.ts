import { readFileSync } from "node:fs";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { ExitCode, UsageError } from "../../errors.js";
import { type HttpMcp, isLoopback, parseAddress, serveHttp } from "../../mcp/http.js";
import { createMcpServer } from "../../mcp/server.js";
import { addToken, listTokens, revokeToken } from "../../mcp/tokens.js";
import type { Context } from "../../runtime/context.js";
import type { CommandInput, CommandOutput } from "../types.js";

const version = (): string =>
  (
    JSON.parse(readFileSync(new URL("../../../../package.json", import.meta.url), "utf8")) as {
      version: string;
    }
  ).version;

/**
 * `kb mcp`: the brain as a Model Context Protocol server on stdin/stdout, until the client closes
 * stdin or the process gets SIGTERM; `--http` serves the team over Streamable HTTP instead;
 * `kb mcp token …` manages the bearer tokens HTTP needs. Logs go to stderr only.
 */
export async function run(ctx: Context, input: CommandInput): Promise<CommandOutput> {
  const [action, ...rest] = input.args;
  if (action === "token") return token(ctx, rest, input.opts);
  if (action !== undefined)
    throw new UsageError(
      "MCP_ACTION",
      `kb mcp ${action}: unknown; use kb mcp, kb mcp --http or kb mcp token add|list|revoke`,
    );
  const record = input.opts.record !== false;
  if (input.opts.http !== undefined)
    return http(ctx, input.opts.http === true ? undefined : String(input.opts.http), record);
  return stdio(ctx, record);
}

async function stdio(ctx: Context, record: boolean): Promise<CommandOutput> {
  const server = createMcpServer(ctx, version(), { record });
  const transport = new StdioServerTransport();
  let clientGone: (error: NodeJS.ErrnoException) => void = () => {};
  const closed = new Promise<void>((resolve) => {
    process.stdin.once("end", resolve);
    process.stdin.once("close", resolve);
    ctx.signal.addEventListener("abort", () => resolve(), { once: true });
    transport.onclose = () => resolve();
    // A client that closes its end while a reply is on the way is a client that left: end quietly.
    clientGone = (error) => {
      if (error.code === "EPIPE" || error.code === "ERR_STREAM_DESTROYED")
        ctx.log.debug("the client closed its end; stopping");
      else ctx.log.warn("cannot write to the client; stopping", { error: error.message });
      resolve();
    };
    process.stdout.on("error", clientGone);
  });
  try {
    await server.connect(transport);
    ctx.log.info("mcp server ready on stdio", { brain: ctx.config.brain });
    await closed;
    await server.close();
  } finally {
    process.stdout.off("error", clientGone);
  }
  return { data: null, text: "", exitCode: ExitCode.ok };
}

async function http(ctx: Context, address: string | undefined, record: boolean): Promise<CommandOutput> {
  const served = await serveTeam(ctx, address, record);
  await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve(), { once: true }));
  await served.close();
  return { data: null, text: "", exitCode: ExitCode.ok };
}

/** `kb mcp --http` on `address` (default `mcp.address`), as configured; says where, and how many tokens are live. */
export async function serveTeam(ctx: Context, address: string | undefined, record = true): Promise<HttpMcp> {
  const cfg = ctx.config.mcp;
  const at = address ?? cfg.address;
  const { host } = parseAddress(at);
  const served = await serveHttp(ctx, {
    address: at,
    allowedOrigins: cfg.allowedOrigins,
    maxBodyBytes: cfg.maxBodyKiB * 1024,
    timeoutMs: cfg.timeoutSeconds * 1000,
    maxConcurrent: cfg.maxConcurrent,
    version: version(),
    record,
  });
  const live = listTokens(ctx.db()).filter((t) => t.revokedAt === null).length;
  ctx.log.info("mcp server ready", { url: served.url, tokens: live, brain: ctx.config.brain });
  if (!isLoopback(host))
    ctx.log.warn("mcp server listening beyond this machine; every request still needs a token", {
      url: served.url,
    });
  if (live === 0) ctx.log.warn("no live tokens: every request gets 401 until kb mcp token add NAME");
  return served;
}

function token(ctx: Context, args: string[], opts: Record<string, unknown>): CommandOutput {
  const [verb, name, ...extra] = args;
  const usage = "kb mcp token add NAME [--scope a,b] | kb mcp token list | kb mcp token revoke NAME";
  if (extra.length > 0) throw new UsageError("MCP_TOKEN_ARGS", `too many arguments; ${usage}`);
  const db = ctx.db();
  const now = ctx.clock.now();
  if (verb === "list") {
    const tokens = listTokens(db);
    const text = tokens.length
      ? tokens
          .map(
            (t) =>
              `${t.name}  ${t.revokedAt ? `revoked ${t.revokedAt.slice(0, 10)}` : "live"}  ${t.scopes.length ? t.scopes.join(",") : "all folders"}  made ${t.createdAt.slice(0, 10)}  last used ${t.lastUsedAt?.slice(0, 16).replace("T", " ") ?? "never"}`,
          )
          .join("\n")
      : "no tokens; kb mcp token add NAME makes one";
    return { data: { tokens }, text };
  }
  if ((verb === "add" || verb === "revoke") && !name)
    throw new UsageError("MCP_TOKEN_ARGS", `kb mcp token ${verb} needs a NAME; ${usage}`);
  if (verb === "add") {
    const scopes =
      typeof opts.scope === "string"
        ? opts.scope
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean)
        : [];
    const secret = addToken(db, name!, scopes, now);
    return {
      data: { name, scopes, token: secret },
      text: `token ${name} (${scopes.length ? scopes.join(", ") : "all folders"}); shown once, kb keeps only its hash:\n${secret}`,
    };
  }
  if (verb === "revoke") {
    const t = revokeToken(db, name!, now);
    return { data: { token: t }, text: `revoked ${t.name}: it stops working at once` };
  }
  throw new UsageError("MCP_TOKEN_ARGS", `kb mcp token ${verb ?? ""}: ${usage}`.replace(":  ", ": "));
}
