import { isLoopback, parseAddress } from "../mcp/http.js";
import { listTokens } from "../mcp/tokens.js";
import type { CheckGroup, CheckResult } from "./types.js";

/**
 * `kb mcp --http`: on which address, whether a kb server answers there (a request without a token
 * must get kb's 401), and how many tokens are live. Not serving is fine until a token exists.
 */
export const mcpChecks: CheckGroup = async ({ ctx }) => {
  if (!ctx) return [];
  const { address } = ctx.config.mcp;
  const { host, port } = parseAddress(address);
  const live = listTokens(ctx.db()).filter((t) => t.revokedAt === null).length;
  const tokens = `${live} live token${live === 1 ? "" : "s"}`;
  const out: CheckResult[] = [];
  if (!isLoopback(host))
    out.push({
      id: "mcp-address",
      status: "warn",
      message: `mcp.address ${address} accepts connections from other machines`,
      hint: "bind 127.0.0.1 and publish through a tunnel (docs/search-and-mcp.md); every request still needs a token",
    });
  const url = `http://${host.includes(":") ? `[${host}]` : host === "0.0.0.0" ? "127.0.0.1" : host}:${port}/mcp`;
  const answer = await probe(url);
  if (answer === "kb")
    out.push({ id: "mcp", status: "ok", message: `kb mcp --http answers at ${url}; ${tokens}` });
  else if (answer === "other")
    out.push({
      id: "mcp",
      status: "warn",
      message: `something other than kb answers at ${url}; ${tokens}`,
      hint: "set mcp.address to a free port",
    });
  else
    out.push({
      id: "mcp",
      status: live > 0 ? "warn" : "ok",
      message: `no MCP server at ${url}; ${tokens}`,
      ...(live > 0
        ? {
            hint: "start it with kb mcp --http (or under kb daemon's service); agents holding a token cannot reach the brain",
          }
        : {}),
    });
  return out;
};

/** "kb" when a request without a token gets kb's 401, "other" for any other answer, "none" when nothing listens. */
async function probe(url: string): Promise<"kb" | "other" | "none"> {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
      signal: AbortSignal.timeout(2000),
    });
    await res.body?.cancel();
    return res.status === 401 && /realm="kb"/.test(res.headers.get("www-authenticate") ?? "")
      ? "kb"
      : "other";
  } catch {
    return "none";
  }
}
