import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { expect } from "vitest";
import { kbBin, onCleanup, runKb } from "./index.js";

/** The global options that point kb at `root`'s config, with the clock pinned. */
export const config = (root: string) => ["--config", join(root, "kb.config.yaml"), "--as-of", "2026-11-24"];

/** The SDK's stdio client on `kb mcp` over `root`'s config (clock pinned), closed after the test. */
export async function stdioClient(root: string, mcpArgs: string[] = []): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [kbBin, ...config(root), "--quiet", "mcp", ...mcpArgs],
    cwd: root,
    env: { ...(process.env as Record<string, string>), NO_COLOR: "1" },
    stderr: "pipe",
  });
  const client = new Client({ name: "kb-test", version: "1.0.0" });
  await client.connect(transport);
  onCleanup(() => void client.close());
  return client;
}

/** `kb mcp token add NAME [--scope …]` through the binary; the token it prints once. */
export async function addToken(root: string, name: string, scope?: string): Promise<string> {
  const r = await runKb([
    ...config(root),
    "--json",
    "mcp",
    "token",
    "add",
    name,
    ...(scope ? ["--scope", scope] : []),
  ]);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { token: string }).token;
}

/** `kb mcp --http 127.0.0.1:0` as a process; resolves with its URL once it says it is ready. */
export function serve(root: string): Promise<{ url: string; child: ChildProcess; stderr: () => string }> {
  const child = spawn(process.execPath, [kbBin, ...config(root), "mcp", "--http", "127.0.0.1:0"], {
    cwd: root,
    env: { ...process.env, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  onCleanup(() => child.kill("SIGKILL"));
  let err = "";
  return new Promise((resolve, reject) => {
    child.stderr!.on("data", (d) => {
      err += d;
      const m = /"url":"([^"]+)"/.exec(err);
      if (m) resolve({ url: m[1]!, child, stderr: () => err });
    });
    child.on("exit", (code) => reject(new Error(`kb mcp --http exited with ${code}: ${err}`)));
  });
}
