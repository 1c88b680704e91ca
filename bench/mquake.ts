import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join, relative } from "node:path";
import { stripKbComments } from "../src/brain/provenance.js";
import { round } from "./measure.js";
import {
  brainFiles,
  EDIT_MARKER,
  loadMquake,
  MQUAKE_AGENTS,
  type MquakeWorld,
  recallQuestions,
  sessionJsonl,
} from "./mquake-data.js";
import type { BenchOptions, BenchRow } from "./types.js";

/**
 * The knowledge-update benchmark on MQuAKE-hard (see mquake-data.ts): the brain and the sessions
 * written to a folder, then `kb run nightly` (mine in apply mode, dedup, audit — and whatever
 * else the nightly pipeline runs) against a scripted model on a loopback OpenAI-protocol server.
 * The model supersedes exactly the facts an edit replaces when the prompt shows them, and adds
 * the new fact when it does not, so a fact kb failed to show is visible as an old fact left live.
 * Then `kb eval recall` asks each edited fact's question. Counted: old facts left live, new facts
 * missing, untouched facts changed (each compared byte for byte), old facts in `kb search`'s top 6.
 */
export interface MquakeResult {
  cases: number;
  facts: number;
  edits: number;
  oldLive: string[];
  newMissing: string[];
  untouchedChanged: string[];
  staleInTop6: string[];
  /** Edits whose old fact the prompt did not show (the model added the new fact instead). */
  notShown: string[];
  /** Operations kb mine rejected (its report's count). */
  rejected: number;
  chunks: number;
  pipelineSeconds: number;
  searchSeconds: number;
}

function repoRoot(): string {
  let root = import.meta.dirname;
  while (!existsSync(join(root, "package.json"))) root = dirname(root);
  return root;
}

/** The scripted model: for each edit in the log, supersede its old fact if shown, else add the new one. */
function scriptedModel(world: MquakeWorld) {
  const edits = new Map(world.sessions.flatMap((s) => s.edits.map((e) => [e.newText, e] as const)));
  const pathOf = new Map(world.facts.map((f) => [f.key, f.path]));
  const stats = { chunks: 0, notShown: [] as string[] };
  const answer = (prompt: string) => {
    stats.chunks++;
    const shown = new Map<string, number>();
    for (const m of prompt.matchAll(/^(\d+)\. \[[^\]]*\] (.*)$/gm)) shown.set(m[2]!, Number(m[1]));
    const log = prompt.slice(prompt.indexOf("<log>"), prompt.lastIndexOf("</log>"));
    const ops: unknown[] = [];
    for (const m of log.matchAll(new RegExp(`${EDIT_MARKER} (.*)$`, "gm"))) {
      const edit = edits.get(m[1]!.trim());
      if (!edit || shown.has(edit.newText)) continue;
      const id = shown.get(edit.oldText);
      const evidence = edit.newText.slice(0, -1);
      if (id !== undefined) ops.push({ op: "supersede", id, text: edit.newText, evidence });
      else {
        stats.notShown.push(edit.oldText);
        ops.push({ op: "add", path: pathOf.get(edit.key), section: "Facts", text: edit.newText, evidence });
      }
    }
    return JSON.stringify({ ops: ops.length > 0 ? ops : [{ op: "noop" }] });
  };
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (d) => (raw += d));
    req.on("end", () => {
      const body = JSON.parse(raw) as { model: string; messages: { content: string }[] };
      const content = answer(body.messages.map((m) => m.content).join("\n"));
      res.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          id: `chatcmpl-${stats.chunks}`,
          object: "chat.completion",
          created: 0,
          model: body.model,
          choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
          usage: {
            prompt_tokens: Math.ceil(raw.length / 4),
            completion_tokens: Math.ceil(content.length / 4),
          },
        }),
      );
    });
  });
  return { server, stats };
}

/** Write the brain (a git repository), the sessions, the config and the question set under `dir`. */
export function writeMquake(world: MquakeWorld, dir: string, llmUrl: string): string {
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  for (const [path, text] of Object.entries(brainFiles(world))) write(`brain/${path}`, text);
  world.sessions.forEach((s, i) => {
    const { id, text } = sessionJsonl(s, i);
    write(`sessions/${s.agent}/${id}.jsonl`, text);
  });
  write("questions/questions.yaml", recallQuestions(world));
  const agents = MQUAKE_AGENTS.filter((a) => existsSync(join(dir, "sessions", a)));
  const config = {
    host: "bench",
    brain: "./brain",
    state: "./state",
    reports: "./reports",
    llm: { baseUrl: llmUrl, models: ["scripted-editor"], apiKeyEnv: "KB_BENCH_LLM_KEY" },
    mine: {
      sources: agents.map((agent) => ({ agent, kind: "openclaw-jsonl", path: `sessions/${agent}` })),
      autonomy: [{ paths: ["**"], mode: "apply" }],
      budget: { calls: 1_000_000, tokens: 2_000_000_000, costUsd: 1_000_000 },
    },
    dedup: {
      scopes: MQUAKE_AGENTS.filter((a) => existsSync(join(dir, "brain", a))).map((a) => ({
        name: a,
        paths: `${a}/**`,
      })),
    },
  };
  write("kb.config.yaml", `${JSON.stringify(config, null, 2)}\n`);
  const git = (...args: string[]) => execFileSync("git", args, { cwd: join(dir, "brain"), stdio: "ignore" });
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git(
    "-c",
    "user.name=bench",
    "-c",
    "user.email=bench@example.invalid",
    "commit",
    "-qm",
    "MQuAKE-hard brain",
  );
  return join(dir, "kb.config.yaml");
}

function kb(args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot(), "bin/kb.js"), ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: "1", KB_BENCH_LLM_KEY: "not-a-secret" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0 || code === 3) resolve(stdout);
      else
        reject(
          new Error(`kb ${args.join(" ")} exited with ${code}: ${stderr.slice(-1500)}${stdout.slice(-1500)}`),
        );
    });
  });
}

/** Live facts by file: bullet lines outside `_archive/`, as written. */
function liveLines(brain: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const visit = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory() && e.name !== "_archive" && !e.name.startsWith(".")) visit(p);
      else if (e.isFile() && e.name.endsWith(".md")) {
        const lines = readFileSync(p, "utf8")
          .split("\n")
          .filter((l) => l.startsWith("- "));
        out.set(relative(brain, p), lines);
      }
    }
  };
  visit(brain);
  return out;
}

/** The sum of "N rejected" over the mine reports. */
function mineRejections(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir)
    .map((f) => Number(/(\d+) rejected/.exec(readFileSync(join(dir, f), "utf8"))?.[1] ?? 0))
    .reduce((a, b) => a + b, 0);
}

const plain = (text: string) => stripKbComments(text).trim().toLowerCase().replace(/\s+/g, " ");

/** Run the benchmark on `world` in `dir` and count what is wrong afterwards. */
export async function runMquake(world: MquakeWorld, dir: string): Promise<MquakeResult> {
  const { server, stats } = scriptedModel(world);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    const config = writeMquake(world, dir, url);
    const globals = ["--config", config, "--as-of", "2026-11-24"];
    const t0 = performance.now();
    await kb([...globals, "run", "nightly"], dir);
    const pipelineSeconds = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const recall = JSON.parse(
      await kb([...globals, "--json", "eval", "recall", "--set", join(dir, "questions"), "--k", "6"], dir),
    ) as { questions: { stale: string[] | string; hits: { text: string; file: string }[] }[] };
    const searchSeconds = (performance.now() - t1) / 1000;

    const live = liveLines(join(dir, "brain"));
    const texts = new Set([...live.values()].flat().map((l) => plain(l.slice(2))));
    const edited = world.facts.filter((f) => f.edit);
    const edits = world.sessions.reduce((n, s) => n + s.edits.length, 0);
    const questions = recallQuestions(world);
    const staleOf = (JSON.parse(questions) as { stale: string }[]).map((q) => plain(`${q.stale}.`));
    return {
      cases: world.cases,
      facts: world.facts.length,
      edits,
      oldLive: edited.filter((f) => texts.has(plain(f.text))).map((f) => f.text),
      newMissing: edited.filter((f) => !texts.has(plain(f.edit!.text))).map((f) => f.edit!.text),
      untouchedChanged: world.facts
        .filter((f) => !f.edit && !(live.get(f.path) ?? []).includes(`- ${f.text}`))
        .map((f) => f.text),
      staleInTop6: recall.questions.flatMap((q, i) =>
        q.hits.some((h) => !h.file.startsWith("_archive/") && plain(h.text) === staleOf[i])
          ? [staleOf[i]!]
          : [],
      ),
      notShown: [...new Set(stats.notShown)],
      rejected: mineRejections(join(dir, "reports/mine")),
      chunks: stats.chunks,
      pipelineSeconds: round(pipelineSeconds, 1),
      searchSeconds: round(searchSeconds, 1),
    };
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** `npm run bench -- --only=mquake`: the full non-conflicting set, then 10× it with renamed subjects. */
export async function bench(options: BenchOptions): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  // Quick: the whole brain with 100 cases' edits.
  const sizes = options.quick ? [{ copies: 1, deliver: 100 }] : [{ copies: 1 }, { copies: 10 }];
  for (const size of sizes) {
    const world = loadMquake(size);
    const dir = join(options.tmp, `mquake-${size.copies}x`);
    const r = await runMquake(world, dir);
    const label = `${size.copies}× (${r.cases * size.copies} cases, ${r.facts} facts, ${r.edits} edits)`;
    const count = (name: string, list: string[]): BenchRow => ({
      area: "mquake",
      name: `${label}: ${name}`,
      value: list.length,
      unit: "count",
      budget: "0",
      pass: list.length === 0,
      ...(list.length > 0 ? { note: list.slice(0, 3).join(" | ") } : {}),
    });
    rows.push(
      count("old facts left live", r.oldLive),
      count("new facts missing", r.newMissing),
      count("untouched facts changed", r.untouchedChanged),
      count("old facts in kb search's top 6", r.staleInTop6),
      {
        area: "mquake",
        name: `${label}: kb run nightly`,
        value: r.pipelineSeconds,
        unit: "s",
        note: `${r.chunks} sessions mined; old fact not shown for ${r.notShown.length} edits; ${r.rejected} ops rejected; then kb eval recall ${r.searchSeconds} s`,
      },
    );
  }
  return rows;
}
