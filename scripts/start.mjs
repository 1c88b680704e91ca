#!/usr/bin/env node
// `npm start`: the nightly pipeline on a working copy of the bundled sample brain.
//
// The bundled brain/ stays untouched (it is the committed sample); kb works on a copy under
// .kb/demo/ (git-ignored) with its own local hub repository, so sync, dedup, mine and audit all
// run for real with no set-up. A second `npm start` continues from where the first one left off.
import { spawnSync } from "node:child_process";
import { appendFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
// KB_DEMO_DIR puts the demo (and its reports) elsewhere, e.g. to try it without touching the checkout.
const demo = process.env.KB_DEMO_DIR ? resolve(process.env.KB_DEMO_DIR) : join(root, ".kb", "demo");
const reports = process.env.KB_DEMO_DIR ? join(demo, "reports") : join(root, "reports");
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
reports: ${reports}
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

// An LLM named on a later start is added to the demo config written by an earlier one.
if (llm && !/^llm:/m.test(readFileSync(config, "utf8"))) appendFileSync(config, `\n${llm}`);

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

const started = Date.now() - 1000;
const nightly = kb(["run", "nightly"]);
const written = existsSync(reports)
  ? readdirSync(reports, { recursive: true })
      .map((name) => join(reports, String(name)))
      .filter((path) => statSync(path).isFile() && statSync(path).mtimeMs >= started)
      .sort()
  : [];
console.log(`\nkb demo: the working brain is ${relative(root, join(demo, "brain"))} (a clone of ${relative(root, join(demo, "hub.git"))}).`);
console.log(written.length > 0 ? "kb demo: reports written by this run:" : "kb demo: no reports written by this run.");
for (const path of written) console.log(`  ${relative(root, path)}`);
console.log(`kb demo: health: node bin/kb.js status --config ${relative(root, config)}`);
process.exit(nightly.status === 3 ? 0 : (nightly.status ?? 1));
