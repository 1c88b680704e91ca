#!/usr/bin/env node
// `npm start`: the nightly pipeline on a working copy of the bundled sample brain.
//
// The bundled brain/ stays untouched (it is the committed sample); kb works on a copy under
// .kb/demo/ (git-ignored) with its own local hub repository, so sync, dedup, mine and audit all
// run for real with no set-up. A second `npm start` continues from where the first one left off.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const demo = join(root, ".kb", "demo");
const config = join(demo, "kb.config.yaml");
const kb = (args, options = {}) =>
  spawnSync(process.execPath, [join(root, "bin/kb.js"), "--config", config, ...args], {
    stdio: "inherit",
    env: { ...process.env, NO_COLOR: process.env.NO_COLOR ?? "" },
    ...options,
  });

const llm = process.env.KB_LLM_BASE_URL
  ? `llm:\n  baseUrl: ${process.env.KB_LLM_BASE_URL}\n  models: [${process.env.KB_LLM_MODEL ?? "gpt-4o-mini"}]\n  apiKeyEnv: ${process.env.KB_LLM_API_KEY_ENV ?? "OPENAI_API_KEY"}\n`
  : "";

if (!existsSync(config)) {
  mkdirSync(demo, { recursive: true });
  cpSync(join(root, "brain"), join(demo, "brain"), { recursive: true });
  const scopes = readdirSync(join(root, "brain"), { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith("_") && !e.name.startsWith("."))
    .map((e) => `    - { name: ${e.name}, paths: "${e.name}/**" }`)
    .join("\n");
  const sessions = join(root, "examples/sessions");
  writeFileSync(
    config,
    `# Written by npm start for the demo; edit freely. Real deployments: see the README.
host: demo
brain: ./brain
state: ./state
reports: ${join(root, "reports")}
ignore: [README.md]
sync:
  hub: ./hub.git
dedup:
  scopes:
${scopes}
mine:
  sources:
    - { agent: customer-service, kind: openclaw-jsonl, path: ${sessions}/openclaw/customer-service }
    - { agent: finance, kind: openclaw-jsonl, path: ${sessions}/openclaw/finance }
    - { agent: merchandising, kind: openclaw-jsonl, path: ${sessions}/openclaw/merchandising }
    - { agent: marketing, kind: claude-code, path: ${sessions}/claude-code }
    - { agent: marketing, kind: openclaw-memory, path: ${join(root, "examples/memory/marketing")} }
${llm}`,
  );
  console.log(`kb demo: copied the sample brain to ${join(demo, "brain")}`);
}

if (!existsSync(join(demo, "hub.git"))) {
  spawnSync("git", ["init", "--quiet", "--bare", "--initial-branch=main", join(demo, "hub.git")], { stdio: "inherit" });
  const init = kb(["init"]);
  if (init.status !== 0) process.exit(init.status ?? 1);
}

if (!llm) {
  console.log(
    "kb demo: no LLM configured, so mining is skipped. To mine the sample logs, point kb at any\n" +
      "OpenAI-compatible endpoint: KB_LLM_BASE_URL=http://127.0.0.1:11434/v1 KB_LLM_MODEL=qwen3:8b npm start\n" +
      "(and KB_LLM_API_KEY_ENV=NAME_OF_THE_VARIABLE_HOLDING_YOUR_KEY when the endpoint needs a key).",
  );
}

const nightly = kb(["run", "nightly"]);
console.log(`\nkb demo: reports are in ${join(root, "reports")}; the working brain is ${join(demo, "brain")}.`);
console.log("kb demo: `kb status --config .kb/demo/kb.config.yaml` shows the run records.");
process.exit(nightly.status === 3 ? 0 : (nightly.status ?? 1));
