#!/usr/bin/env node
// The recall experiment in docs/eval.md: what agents retrieve from the bundled brain before and
// after `npm start`'s nightly pipeline mines the bundled sample logs.
//
// No language model runs here. A scripted extractor on a loopback OpenAI-protocol server answers
// each chunk `kb mine` sends with the facts a careful person would extract from it
// (evals/recall/scripted-extractions.yaml). The table therefore shows what the pipeline does with
// correct extractions (supersede to _archive/, dedup, review state) and what agents then
// retrieve, not a model's quality. Steps:
//   1. before: kb eval recall on the bundled brain, with each engine;
//   2. npm start (sync → mine → dedup → sync → audit) on a copy, mining to a review branch;
//   3. kb accept the review branch (the owner approves it), then npm start again;
//   4. after: kb eval recall on the pipeline's brain, with each engine.
// The OpenClaw engine runs when KB_OPENCLAW names the command that runs OpenClaw.
//
//   node scripts/recall-experiment.mjs [--k 6] [--engines kb,openclaw] [--keep]
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse } from "yaml";

const root = resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const k = args.includes("--k") ? args[args.indexOf("--k") + 1] : "6";
const asOf = "2026-11-24";
const work = mkdtempSync(join(tmpdir(), "kb-recall-experiment-"));
const demo = join(work, "demo");
const set = join(root, "evals/recall");
const extractions = parse(readFileSync(join(set, "scripted-extractions.yaml"), "utf8"));
const only = args.includes("--engines") ? args[args.indexOf("--engines") + 1].split(",") : null;
const openclaw = only && !only.includes("openclaw") ? "" : findOpenclaw();
const engines = (openclaw ? ["kb", "openclaw"] : ["kb"]).filter((e) => !only || only.includes(e));

/** KB_OPENCLAW, else the real OpenClaw from scripts/openclaw-env.sh (installed once into a cache). */
function findOpenclaw() {
  if (process.env.KB_OPENCLAW) return process.env.KB_OPENCLAW;
  const r = spawnSync("bash", [join(root, "scripts/openclaw-env.sh")], { encoding: "utf8" });
  if (r.status !== 0) {
    process.stderr.write(`OpenClaw not available, kb engine only: ${r.stderr.trim()}\n`);
    return "";
  }
  const vars = Object.fromEntries(r.stdout.trim().split("\n").map((l) => l.split("=", 2)));
  return `${vars.KB_NODE24} ${vars.KB_OPENCLAW}`;
}

/** The log line that states a fact, without its `[time role]` prefix, cut to 200 characters around `when`. */
function quote(log, when) {
  const text = (log.split("\n").find((l) => l.includes(when)) ?? "").replace(/^\[[^\]]*\]\s*/, "");
  if (text.length <= 200) return text;
  const at = text.indexOf(when);
  const start = Math.max(0, Math.min(at - 80, text.length - 200));
  return text.slice(start, start + 200);
}

/** The scripted extractor: answers by agent and by what the chunk's log text says, quoting it. */
const served = { requests: 0, ops: 0, missingTargets: [] };
function extract(body) {
  const prompt = body.messages.map((m) => m.content).join("\n");
  const agent = /Log of agent "([^"]+)"/.exec(prompt)?.[1];
  const log = prompt.slice(prompt.indexOf("<log>"), prompt.lastIndexOf("</log>"));
  const near = [...prompt.matchAll(/^(\d+)\. \[[^\]]*\] (.*)$/gm)].map((m) => ({ id: Number(m[1]), text: m[2] }));
  const ops = [];
  for (const x of extractions) {
    if (x.agent !== agent || !log.includes(x.when)) continue;
    if (x.supersedes) {
      const target = near.find((f) => f.text.includes(x.supersedes));
      if (target) ops.push({ op: "supersede", id: target.id, text: x.text, evidence: x.evidence ?? quote(log, x.when) });
      else served.missingTargets.push(x.supersedes);
    } else ops.push({ op: "add", path: x.path, section: x.section, text: x.text, evidence: x.evidence ?? quote(log, x.when) });
  }
  served.ops += ops.length;
  return { ops: ops.length > 0 ? ops : [{ op: "noop" }] };
}

const server = createServer((req, res) => {
  let raw = "";
  req.on("data", (d) => (raw += d));
  req.on("end", () => {
    served.requests++;
    const body = JSON.parse(raw);
    const content = JSON.stringify(extract(body));
    res.writeHead(200, { "content-type": "application/json" }).end(
      JSON.stringify({
        id: `chatcmpl-${served.requests}`,
        object: "chat.completion",
        created: 0,
        model: body.model,
        choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
        usage: { prompt_tokens: Math.ceil(raw.length / 4), completion_tokens: Math.ceil(content.length / 4), total_tokens: 0 },
      }),
    );
  });
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const llm = `http://127.0.0.1:${server.address().port}/v1`;

const env = {
  ...process.env,
  NO_COLOR: "1",
  KB_DEMO_DIR: demo,
  KB_LLM_BASE_URL: llm,
  KB_LLM_MODEL: "scripted-extractor",
  KB_LLM_API_KEY_ENV: "KB_SCRIPTED_KEY",
  KB_SCRIPTED_KEY: "not-a-secret",
};
// Asynchronous: the scripted extractor answers from this same process while kb runs.
const run = (cmd, argv, what) =>
  new Promise((resolvePromise, reject) => {
    process.stderr.write(`recall experiment: ${what}\n`);
    const child = spawn(cmd, argv, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (status) => {
      if (status !== 0 && status !== 3) {
        process.stderr.write(`${stdout}\n${stderr}\n`);
        reject(new Error(`${what} exited with ${status}`));
      } else resolvePromise(stdout);
    });
  });
const kb = (argv, what) => run(process.execPath, [join(root, "bin/kb.js"), ...argv], what);
const evalRecall = async (globals, engine, label) => {
  const out = await kb(
    [...globals, "--as-of", asOf, "--json", "eval", "recall", "--set", set, "--k", k, "--engine", engine, ...(engine === "openclaw" ? ["--openclaw", openclaw] : [])],
    `${label}: kb eval recall --engine ${engine}`,
  );
  return JSON.parse(out);
};

try {
  const rows = [];
  const beforeGlobals = ["--config", join(root, "kb.config.yaml"), "--state", join(work, "before-state"), "--reports", join(work, "reports")];
  for (const engine of engines) rows.push({ when: "before", engine, r: await evalRecall(beforeGlobals, engine, "before") });

  // The owner accepts every review branch kb opens (mined facts, then the consolidation they
  // set off), and the nightly pipeline runs again, until kb proposes nothing new.
  const config = ["--config", join(demo, "kb.config.yaml")];
  const branches = [];
  for (let night = 1; night <= 4; night++) {
    await run(process.execPath, [join(root, "scripts/start.mjs")], `npm start, night ${night}`);
    const open = spawnSync("git", ["-C", join(demo, "brain"), "branch", "--list", "--format=%(refname:short)", "kb/*"], { encoding: "utf8" }).stdout.trim().split("\n").filter(Boolean);
    if (open.length === 0) break;
    for (const branch of open) {
      await kb([...config, "accept", branch], `kb accept ${branch}`);
      branches.push(branch);
    }
  }
  const afterGlobals = [...config, "--reports", join(work, "reports")];
  for (const engine of engines) rows.push({ when: "after", engine, r: await evalRecall(afterGlobals, engine, "after") });

  const pct = (v) => (v === null ? "—" : `${(v * 100).toFixed(1)}%`);
  const lines = [
    `| brain | engine | recall@${k} | stale-hit rate | stale, no warning | recall on changed facts | MRR | tokens read / question |`,
    "|---|---|---:|---:|---:|---:|---:|---:|",
    ...rows.map(({ when, engine, r }) =>
      `| ${when === "before" ? "bundled (before)" : "after npm start"} | ${engine} | ${pct(r.score.recall)} | ${pct(r.score.staleHitRate)} | ${engine === "kb" ? pct(r.score.unmarkedStaleHitRate) : "—"} | ${pct(r.score.changedRecall)} | ${r.score.mrr.toFixed(3)} | ${Math.round(r.score.tokensPerQuestion)} |`,
    ),
  ];
  const summary = {
    questions: rows[0].r.set.questions,
    changedWithStale: rows[0].r.score.changed,
    scripted: { chunks: served.requests, facts: served.ops, targetsNotInPrompt: served.missingTargets },
    reviewBranches: branches,
  };
  process.stdout.write(`${lines.join("\n")}\n\n${JSON.stringify(summary, null, 2)}\n`);
  if (args.includes("--json")) process.stdout.write(`${JSON.stringify({ rows: rows.map(({ when, engine, r }) => ({ when, engine, score: r.score })) })}\n`);
  const byRow = rows.map(({ when, engine, r }) => ({ when, engine, score: r.score, missed: r.questions.filter((q) => q.rank === null).map((q) => q.id), stale: r.questions.filter((q) => q.staleFound.length > 0).map((q) => `${q.id}${q.staleUnmarked?.length > 0 ? "" : " (marked)"}`) }));
  writeFileSync(join(work, "experiment.json"), `${JSON.stringify({ rows: byRow, summary }, null, 2)}\n`);
  process.stderr.write(`recall experiment: details in ${join(work, "experiment.json")}\n`);
} finally {
  server.close();
  if (!args.includes("--keep")) rmSync(work, { recursive: true, force: true });
}
