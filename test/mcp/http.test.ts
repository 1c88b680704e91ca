import { spawn } from "node:child_process";
import { readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { kbBin, makeTree, onCleanup, repoRoot, runKb, tempDir } from "../helpers/index.js";
import { addToken, config, serve } from "../helpers/mcp-http.js";

const doc = (fm: string, body: string) => `---\n${fm}\n---\n\n${body}\n`;

/** A brain with two agents' folders, an archived fact, and a secret file outside the brain. */
function site(mcp = ""): string {
  const root = tempDir("kb-mcp-http-");
  makeTree(
    {
      "kb.config.yaml": `host: test\nbrain: ./brain\nstate: ./state\nreports: ./reports\n${mcp}`,
      "brain/customer-service/returns.md": doc(
        "title: Returns\nowner: '@sofie'\nlast_reviewed: 2026-11-01",
        "## Returns\n\n- Returns are accepted within 30 days of delivery.",
      ),
      "brain/finance/payouts.md": doc(
        "title: Payouts\nowner: '@lars'\nlast_reviewed: 2026-11-01",
        "## Payouts\n\n- Adyen pays out returns refunds on Tuesdays and Fridays.",
      ),
      "brain/_archive/finance/payouts.md": doc("title: Old", "## Payouts\n\n- Adyen pays out daily."),
      "outside/secret.md": doc("title: Secret", "## Keys\n\n- The vault code is 4711."),
    },
    root,
  );
  symlinkSync(join(root, "outside/secret.md"), join(root, "brain/finance/linked.md"));
  return root;
}

async function client(url: string, token: string): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
  const c = new Client({ name: "kb-test", version: "1.0.0" });
  await c.connect(transport);
  onCleanup(() => void c.close());
  return c;
}

const initialize = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
});

function post(url: string, headers: Record<string, string>, body = initialize) {
  return fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...headers,
    },
    body,
  });
}

/** A request whose body never finishes: in flight until `end`. */
function stalled(url: string, token: string) {
  const u = new URL(url);
  const req = request({
    host: u.hostname,
    port: u.port,
    path: u.pathname,
    method: "POST",
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      "content-length": "5000",
    },
  });
  const status = new Promise<number>((resolve) => {
    req.on("response", (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on("error", () => resolve(-1));
  });
  req.write("{");
  return { status, end: () => req.destroy() };
}

type Text = { type: string; text: string }[];
const textOf = (r: { content?: unknown }) => (r.content as Text).map((c) => c.text).join("\n");

describe("kb mcp --http (the SDK's Streamable HTTP client, on loopback)", () => {
  it("serves every tool to a token, refuses no token, a wrong one, a foreign Origin and an oversized body", async () => {
    const root = site("mcp:\n  maxBodyKiB: 4\n");
    const token = await addToken(root, "claude-desktop");
    const { url, stderr, child: server } = await serve(root);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);

    const c = await client(url, token);
    expect((await c.listTools()).tools.map((t) => t.name).sort()).toEqual(["outline", "read_file", "search"]);
    const found = await c.callTool({ name: "search", arguments: { query: "adyen pays out" } });
    const hits = (found.structuredContent as { hits: { text: string; file: string }[] }).hits;
    expect(hits.map((h) => h.file)).toEqual(["finance/payouts.md"]);
    expect(
      textOf(await c.callTool({ name: "read_file", arguments: { path: "customer-service/returns.md" } })),
    ).toContain("Returns are accepted within 30 days");
    expect(textOf(await c.callTool({ name: "outline", arguments: {} }))).toContain("finance/payouts.md");

    const none = await post(url, {});
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer realm="kb"/);
    expect((await post(url, { authorization: "Bearer kbt_not-a-token" })).status).toBe(401);
    expect(
      (await post(url, { authorization: `Bearer ${token}`, origin: "http://evil.example" })).status,
    ).toBe(403);
    const big = JSON.stringify({ jsonrpc: "2.0", id: 2, method: "ping", params: { pad: "x".repeat(8000) } });
    expect((await post(url, { authorization: `Bearer ${token}` }, big)).status).toBe(413);
    expect(
      (await fetch(url.replace("/mcp", "/other"), { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(404);

    // Never a token in clear: not in the log, not in the state database.
    const db = readFileSync(join(root, "state/kb.sqlite"));
    expect(db.includes(Buffer.from(token))).toBe(false);
    expect(stderr()).not.toContain(token);
    expect(stderr()).toContain('"token":"claude-desktop"');
    // What the token's holder read is kept under its name: the search's facts and the file read.
    const state = new Database(join(root, "state/kb.sqlite"), { readonly: true });
    const kept = state
      .prepare(
        "SELECT s.tool, s.caller, r.path FROM reads r JOIN searches s ON s.id = r.search_id ORDER BY r.rowid",
      )
      .all();
    state.close();
    expect(kept).toEqual([
      { tool: "search", caller: "claude-desktop", path: "finance/payouts.md" },
      { tool: "read_file", caller: "claude-desktop", path: "customer-service/returns.md" },
    ]);

    // kb doctor says where the server is, whether it answers, and how many tokens are live.
    const at = new URL(url).host;
    writeFileSync(
      join(root, "kb.config.yaml"),
      `host: test\nbrain: ./brain\nstate: ./state\nreports: ./reports\nmcp:\n  address: ${at}\n`,
    );
    const doctor = async () => {
      const r = await runKb([...config(root), "--json", "doctor"]);
      return (
        JSON.parse(r.stdout) as { checks: { id: string; status: string; message: string }[] }
      ).checks.find((c) => c.id === "mcp");
    };
    expect(await doctor()).toMatchObject({
      status: "ok",
      message: `kb mcp --http answers at ${url}; 1 live token`,
    });
    server.kill("SIGKILL");
    await new Promise((r) => server.once("exit", r));
    expect(await doctor()).toMatchObject({
      status: "warn",
      message: `no MCP server at ${url}; 1 live token`,
    });
  }, 60_000);

  it("keeps reads inside the brain: ../, absolute paths, a symlink out and _archive/ are refused", async () => {
    const root = site();
    const token = await addToken(root, "agent");
    const { url } = await serve(root);
    const c = await client(url, token);
    for (const path of [
      "../outside/secret.md",
      join(root, "outside/secret.md"),
      "finance/linked.md",
      "_archive/finance/payouts.md",
    ]) {
      const r = await c.callTool({ name: "read_file", arguments: { path } });
      expect(r.isError, path).toBe(true);
      expect(textOf(r), path).not.toContain("4711");
    }
    const r = await c.callTool({ name: "search", arguments: { query: "vault code adyen daily" } });
    expect(textOf(r)).not.toContain("4711");
    expect(textOf(r)).not.toContain("pays out daily");
  }, 60_000);

  it("limits a token to its folders, and a revoked token stops working at once", async () => {
    const root = site();
    const finance = await addToken(root, "finance-agent", "finance");
    const { url } = await serve(root);
    const c = await client(url, finance);
    const r = await c.callTool({ name: "search", arguments: { query: "returns" } });
    expect((r.structuredContent as { hits: { file: string }[] }).hits.map((h) => h.file)).toEqual([
      "finance/payouts.md",
    ]);
    const other = await c.callTool({ name: "read_file", arguments: { path: "customer-service/returns.md" } });
    expect(other.isError).toBe(true);
    expect(textOf(other)).toContain("outside the folders this token may read (finance)");
    expect(textOf(await c.callTool({ name: "outline", arguments: {} }))).not.toContain("customer-service");

    const list = await runKb([...config(root), "mcp", "token", "list"]);
    expect(list.stdout).toMatch(
      /^finance-agent {2}live {2}finance {2}made 2026-11-24 {2}last used 2026-11-24/m,
    );
    expect(list.stdout).not.toContain(finance);
    expect((await runKb([...config(root), "mcp", "token", "revoke", "finance-agent"])).code).toBe(0);
    expect((await post(url, { authorization: `Bearer ${finance}` })).status).toBe(401);
    const again = await runKb([...config(root), "mcp", "token", "revoke", "finance-agent"]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('no live token named "finance-agent"');
  }, 60_000);

  it("answers 100 concurrent searches; over a token's limit 429, over time 503; a kill -9 loses nothing", async () => {
    const root = site("mcp:\n  maxConcurrent: 100\n");
    const token = await addToken(root, "team");
    const busy = await serve(root);
    const c = await client(busy.url, token);
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        c.callTool({ name: "search", arguments: { query: i % 2 ? "returns delivery" : "adyen" } }),
      ),
    );
    const files = (r: (typeof results)[number]) =>
      (r.structuredContent as { hits: { file: string }[] }).hits.map((h) => h.file);
    const wanted = (i: number) => (i % 2 ? "customer-service/returns.md" : "finance/payouts.md");
    expect(results.filter((r, i) => !r.isError && files(r).includes(wanted(i)))).toHaveLength(100);
    busy.child.kill("SIGKILL");

    writeFileSync(
      join(root, "kb.config.yaml"),
      "host: test\nbrain: ./brain\nstate: ./state\nreports: ./reports\nmcp:\n  maxConcurrent: 1\n  timeoutSeconds: 2\n",
    );
    const limited = await serve(root);
    const held = stalled(limited.url, token);
    await new Promise((r) => setTimeout(r, 200));
    const over = await post(limited.url, { authorization: `Bearer ${token}` });
    expect(over.status).toBe(429);
    expect(over.headers.get("retry-after")).toBe("1");
    expect(await held.status).toBe(503);
    expect((await post(limited.url, { authorization: `Bearer ${token}` })).status).toBe(200);

    // kill -9 with a request in flight; the next start serves at once, the token still works.
    stalled(limited.url, token);
    limited.child.kill("SIGKILL");
    writeFileSync(
      join(root, "kb.config.yaml"),
      "host: test\nbrain: ./brain\nstate: ./state\nreports: ./reports\n",
    );
    const next = await serve(root);
    const r = await (await client(next.url, token)).callTool({
      name: "search",
      arguments: { query: "adyen" },
    });
    expect(r.isError).toBeFalsy();
  }, 90_000);

  it("says what is wrong with a bad address or token command, exit 2", async () => {
    const root = site();
    const bad = await runKb([...config(root), "mcp", "--http", "nowhere"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"nowhere" is not HOST:PORT');
    const name = await runKb([...config(root), "mcp", "token", "add", "../x"]);
    expect(name.code).toBe(2);
    expect(name.stderr).toContain('token name "../x" is not valid');
    const verb = await runKb([...config(root), "mcp", "token", "make", "x"]);
    expect(verb.code).toBe(2);
    expect(verb.stderr).toContain("kb mcp token add NAME");
  }, 60_000);
});

describe("kb mcp --http through mcp-remote, the bridge Claude Desktop runs for a remote server", () => {
  it("lists and calls the tools over stdio with the token in a header, as Claude Desktop's config gives it", async () => {
    const root = site();
    const token = await addToken(root, "claude-desktop");
    const { url, stderr } = await serve(root);
    const bridge = join(repoRoot, "node_modules/mcp-remote/dist/proxy.js");
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [bridge, url, "--header", `Authorization: Bearer ${token}`, "--transport", "http-only"],
      env: { ...(process.env as Record<string, string>), MCP_REMOTE_CONFIG_DIR: tempDir("kb-mcp-remote-") },
      stderr: "pipe",
    });
    const c = new Client({ name: "claude-desktop", version: "1.0.0" });
    await c.connect(transport);
    onCleanup(() => void c.close());
    expect((await c.listTools()).tools.map((t) => t.name).sort()).toEqual(["outline", "read_file", "search"]);
    const r = await c.callTool({ name: "search", arguments: { query: "returns within 30 days" } });
    expect(textOf(r)).toContain("Returns are accepted within 30 days of delivery.");
    expect(stderr()).toContain('"token":"claude-desktop"');
  }, 60_000);
});

describe("kb daemon --mcp", () => {
  it("serves the team's MCP server beside the jobs, and SIGTERM stops both", async () => {
    const root = site();
    const token = await addToken(root, "agent");
    const child = spawn(
      process.execPath,
      [kbBin, "--config", join(root, "kb.config.yaml"), "daemon", "--mcp", "127.0.0.1:0"],
      {
        cwd: root,
        env: { ...process.env, NO_COLOR: "1" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    onCleanup(() => child.kill("SIGKILL"));
    let err = "";
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr!.on("data", (d) => {
        err += d;
        const m = /"msg":"mcp server ready","url":"([^"]+)"/.exec(err);
        if (m) resolve(m[1]!);
      });
      child.on("exit", (code) => reject(new Error(`kb daemon exited with ${code}: ${err}`)));
    });
    const answer = await post(url, { authorization: `Bearer ${token}` });
    expect(answer.status).toBe(200);
    expect(JSON.stringify(await answer.json())).toContain('"name":"kb"');
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    await expect(fetch(url, { method: "POST" })).rejects.toThrow();
  }, 60_000);
});
