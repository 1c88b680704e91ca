import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as zlib from "node:zlib";
import { repoRoot, tempDir } from "./index.js";

/**
 * The real OpenClaw, for contract tests: a Node 24 and `openclaw` from the npm registry, installed
 * once into a cache outside the clone by scripts/openclaw-env.sh. When they cannot be installed the
 * tests fail with the script's reason — they never pass by skipping.
 */
export interface OpenClaw {
  node: string;
  mjs: string;
  version: string;
}

let tools: OpenClaw | null = null;

export function openclaw(): OpenClaw {
  if (tools) return tools;
  const script = join(repoRoot, "scripts/openclaw-env.sh");
  // Say what is about to be downloaded before it is, not after minutes of silence.
  const plan = execFileSync("bash", [script, "--plan"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  })
    .trim()
    .split("\n")
    .filter(Boolean);
  if (plan.length > 0)
    console.warn(
      `kb tests: the OpenClaw contract tests need the real OpenClaw under Node 24, once: ${plan.join("; ")} (scripts/openclaw-env.sh; KB_TOOLS_DIR moves the cache)`,
    );
  let out: string;
  try {
    out = execFileSync("bash", [script], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 600_000,
    });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    throw new Error(`the real OpenClaw could not be installed for these tests: ${stderr.trim()}`);
  }
  const vars = Object.fromEntries(
    out
      .trim()
      .split("\n")
      .map((l) => l.split("=", 2) as [string, string]),
  );
  const node = vars.KB_NODE24!;
  const mjs = vars.KB_OPENCLAW!;
  const version = execFileSync(node, [mjs, "--version"], { encoding: "utf8" }).trim();
  tools = { node, mjs, version };
  return tools;
}

/** A throwaway OpenClaw home (`HOME`), with `~/.openclaw/openclaw.json` written from `config`. */
export function openclawHome(config: Record<string, unknown>, home = tempDir("kb-openclaw-")): string {
  mkdirSync(join(home, ".openclaw"), { recursive: true });
  writeFileSync(join(home, ".openclaw/openclaw.json"), JSON.stringify(config, null, 2));
  return home;
}

/** The config pieces that point OpenClaw's agent at kb's local OpenAI-protocol test server. */
export function mockModelConfig(baseUrl: string, model = "mock-model"): Record<string, unknown> {
  return {
    models: {
      mode: "merge",
      providers: {
        mock: {
          baseUrl,
          apiKey: "dummy",
          api: "openai-completions",
          models: [
            {
              id: model,
              name: "Mock",
              api: "openai-completions",
              reasoning: false,
              input: ["text"],
              cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
              contextWindow: 128000,
              maxTokens: 4000,
            },
          ],
        },
      },
    },
    agents: { defaults: { model: { primary: `mock/${model}` } } },
  };
}

/** Run the real `openclaw` CLI with `home` as HOME; resolves with stdout, rejects with stderr on a non-zero exit. */
export function runOpenclaw(home: string, args: string[], timeoutMs = 180_000): Promise<string> {
  const { node, mjs } = openclaw();
  return new Promise((resolve, reject) => {
    const child = spawn(node, [mjs, ...args], {
      env: { PATH: process.env.PATH, HOME: home, OPENCLAW_NO_UPDATE_CHECK: "1", NO_COLOR: "1", TZ: "UTC" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d));
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new Error(`openclaw ${args.join(" ")} exited ${code}: ${stderr.slice(-2000)}`));
    });
  });
}

/** `openclaw memory search QUERY --json`: the results an OpenClaw agent's memory_search sees. */
export async function memorySearch(home: string, query: string) {
  const out = await runOpenclaw(home, ["memory", "search", query, "--json"]);
  const json = JSON.parse(out.slice(out.indexOf("{"))) as {
    results: { path: string; startLine: number; endLine: number; score: number; snippet: string }[];
  };
  return json.results;
}

/**
 * A Node of another major version than the one running the tests, for checking what kb says when
 * its native module was built for a different Node: Node 24 from the cache under Node 20, and a
 * Node 20 on PATH (the system's) under Node 24.
 */
export function otherNode(): { path: string; major: number } {
  const major = Number(process.versions.node.split(".")[0]);
  if (major !== 24) return { path: openclaw().node, major: 24 };
  const candidates = execFileSync("bash", ["-c", "which -a node nodejs 2>/dev/null || true"], {
    encoding: "utf8",
  })
    .split("\n")
    .filter(Boolean);
  for (const path of candidates) {
    const v = execFileSync(path, ["-p", "process.versions.node"], { encoding: "utf8" }).trim();
    if (Number(v.split(".")[0]) !== 24) return { path, major: Number(v.split(".")[0]) };
  }
  throw new Error(`no Node other than ${process.versions.node} on PATH (${candidates.join(", ")})`);
}

/** zstd-compress `data` as OpenClaw does, with Node's own encoder (Node 24's, run for it on Node 20). */
export function zstdCompress(data: Buffer): Buffer {
  const own = (zlib as unknown as { zstdCompressSync?: (b: Buffer) => Buffer }).zstdCompressSync;
  if (own) return own(data);
  return execFileSync(
    openclaw().node,
    ["-e", "process.stdout.write(require('node:zlib').zstdCompressSync(require('node:fs').readFileSync(0)))"],
    { input: data, maxBuffer: 64 * 1024 * 1024 },
  );
}
