#!/usr/bin/env node
// `npm start`: the nightly pipeline on a working copy of the bundled sample brain.
//
// The bundled brain/ stays untouched (it is the committed sample); kb works on a copy under
// .kb/demo/ (git-ignored) with its own local hub repository and its own reports folder, so sync,
// dedup, mine and audit all run for real with no set-up. A second `npm start` continues from where
// the first one left off; `npm start -- --reset` throws the demo away and starts over.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
// The same place src/config/locate.ts (DEMO_CONFIG) looks, so a bare `kb` in the checkout finds it.
// KB_DEMO_DIR puts the demo elsewhere, e.g. to try it without touching the checkout.
const demo = process.env.KB_DEMO_DIR ? resolve(process.env.KB_DEMO_DIR) : join(root, ".kb", "demo");
const reports = join(demo, "reports");
const config = join(demo, "kb.config.yaml");
const kb = (args, options = {}) =>
  spawnSync(process.execPath, [join(root, "bin/kb.js"), "--config", config, ...args], {
    stdio: "inherit",
    env: { ...process.env, NO_COLOR: process.env.NO_COLOR ?? "" },
    ...options,
  });
const shown = (path) => (path.startsWith(root) ? relative(root, path) : path);

if (process.argv.includes("--reset") && existsSync(demo)) {
  rmSync(demo, { recursive: true, force: true });
  console.log(`kb demo: removed ${shown(demo)}; starting over from the sample brain`);
}

// The LLM comes from KB_LLM_* on each start: the block npm start writes into the demo config is
// rewritten or removed by the next start, so a start without them mines nothing, whatever an
// earlier start used (an llm: section written by hand is left alone). No API key unless KB_LLM_API_KEY_ENV names one
// (local endpoints such as Ollama and llama.cpp need none).
const llmEnv = process.env.KB_LLM_BASE_URL
  ? {
      baseUrl: process.env.KB_LLM_BASE_URL,
      model: process.env.KB_LLM_MODEL || "gpt-4o-mini",
      apiKeyEnv: process.env.KB_LLM_API_KEY_ENV || undefined,
    }
  : null;
const LLM_START = "# llm: written by npm start from KB_LLM_*; the next npm start rewrites or removes it";
const LLM_END = "# end of llm written by npm start";
const llm = llmEnv
  ? `${LLM_START}\nllm:\n  baseUrl: ${llmEnv.baseUrl}\n  models: [${llmEnv.model}]\n${llmEnv.apiKeyEnv ? `  apiKeyEnv: ${llmEnv.apiKeyEnv}\n` : ""}${LLM_END}\n`
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
    `# Written by npm start for the demo; edit freely (npm start -- --reset starts over).
# Real deployments: see the README.
host: demo
brain: ./brain
state: ./state
reports: ./reports
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
`,
  );
  console.log(`kb demo: copied the sample brain to ${join(demo, "brain")}`);
}

// Replace the llm block an earlier start wrote with this start's (or with none).
const written = readFileSync(config, "utf8");
const from = written.indexOf(`\n${LLM_START}\n`);
const to = written.indexOf(`${LLM_END}\n`, from);
const withoutLlm = from >= 0 && to > from ? written.slice(0, from) + written.slice(to + LLM_END.length + 1) : written;
const ownLlm = /^llm:/m.test(withoutLlm);
if (written !== `${withoutLlm}${llm && !ownLlm ? `\n${llm}` : ""}`) {
  writeFileSync(config, `${withoutLlm}${llm && !ownLlm ? `\n${llm}` : ""}`);
}

if (!existsSync(join(demo, "hub.git"))) {
  spawnSync("git", ["init", "--quiet", "--bare", "--initial-branch=main", join(demo, "hub.git")], { stdio: "inherit" });
  const init = kb(["init"]);
  if (init.status !== 0) process.exit(init.status ?? 1);
}

if (llmEnv && ownLlm) {
  console.log(`kb demo: ${shown(config)} has its own llm: section, which wins over KB_LLM_BASE_URL`);
} else if (llmEnv) {
  console.log(
    `kb demo: mining with ${llmEnv.model} at ${llmEnv.baseUrl}${llmEnv.apiKeyEnv ? ` (key from $${llmEnv.apiKeyEnv})` : " (no API key)"}; ` +
      "a later npm start without KB_LLM_BASE_URL skips mining",
  );
} else if (!ownLlm) {
  console.log(
    "kb demo: no LLM configured, so mining is skipped. To mine the sample logs, point kb at any\n" +
      "OpenAI-compatible endpoint: KB_LLM_BASE_URL=http://127.0.0.1:11434/v1 KB_LLM_MODEL=qwen3:8b npm start\n" +
      "(and KB_LLM_API_KEY_ENV=NAME_OF_THE_VARIABLE_HOLDING_YOUR_KEY when the endpoint needs a key).",
  );
}

const started = Date.now() - 1000;
const nightly = kb(["run", "nightly"]);
const fresh = existsSync(reports)
  ? readdirSync(reports, { recursive: true })
      .map((name) => join(reports, String(name)))
      .filter((path) => statSync(path).isFile() && statSync(path).mtimeMs >= started)
      .sort()
  : [];
console.log(`\nkb demo: the working brain is ${shown(join(demo, "brain"))} (a clone of ${shown(join(demo, "hub.git"))}).`);
console.log(fresh.length > 0 ? "kb demo: reports written by this run:" : "kb demo: no reports written by this run.");
for (const path of fresh) console.log(`  ${shown(path)}`);
console.log(
  process.env.KB_DEMO_DIR
    ? `kb demo: health: node bin/kb.js status --config ${config}`
    : "kb demo: health: node bin/kb.js status (every kb command run in this folder uses the demo)",
);
console.log("kb demo: start over: npm start -- --reset");
process.exit(nightly.status === 3 ? 0 : (nightly.status ?? 1));
