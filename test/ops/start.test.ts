import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot, tempDir } from "../helpers/index.js";
import { type RecordedRequest, reply, startOpenAiServer } from "../helpers/openai-server.js";

function npmStart(
  env: NodeJS.ProcessEnv,
  args: string[] = [],
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(repoRoot, "scripts/start.mjs"), ...args], {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("close", (code) => resolve({ code, out }));
  });
}

/** A verbatim quote from the log in the prompt: the start of its longest line. */
function quoteFrom(prompt: string): string {
  const log = prompt.slice(prompt.indexOf("<log>\n") + 6, prompt.indexOf("\n</log>"));
  const longest = log.split("\n").reduce((a, b) => (b.length > a.length ? b : a), "");
  return longest.slice(longest.indexOf("] ") + 2, longest.indexOf("] ") + 82).trim();
}

/** The model proposes one fact per chunk into the agent's own folder. */
function oneFact(req: RecordedRequest) {
  const prompt = (req.body.messages as { content: string }[]).map((m) => m.content).join("\n");
  const agent = /agent[^a-z]+([a-z-]+)/i.exec(prompt)?.[1] ?? "company";
  return reply({
    ops: [
      {
        op: "add",
        path: "finance/payments.md",
        section: "Payouts",
        text: `Demo fact from ${agent} logs, mined once.`,
        evidence: quoteFrom(prompt),
      },
    ],
  });
}

describe("npm start", () => {
  it("runs the nightly pipeline on the bundled brain with a local hub, mines the sample logs, and a second start is a clean no-op run", async () => {
    const llm = await startOpenAiServer({ "demo-model": oneFact });
    const demo = join(tempDir("kb-demo-"), "demo");
    const env = {
      KB_DEMO_DIR: demo,
      KB_LLM_BASE_URL: llm.url,
      KB_LLM_MODEL: "demo-model",
      KB_LLM_API_KEY_ENV: "KB_DEMO_KEY",
      KB_DEMO_KEY: "k",
    };
    const first = await npmStart(env);
    expect(first.code, first.out).toBe(0);
    expect(first.out).toMatch(/^ok {6}sync$/m);
    expect(first.out).toMatch(/^ok {6}mine$/m);
    expect(first.out).toMatch(/^ok {6}dedup$/m);
    expect(first.out).toMatch(/^ok {6}audit$/m);
    expect(first.out).toMatch(/review branch kb\/mine\/\d{4}-\d{2}-\d{2}-demo/);
    expect(first.out).toContain("kb demo: reports written by this run:");
    expect(first.out).toMatch(/reports\/dedup-finance-\d{4}-\d{2}-\d{2}\.md/);
    expect(first.out).toMatch(/reports\/audit-\d{4}-\d{2}-\d{2}\.html/);
    expect(first.out).toMatch(/reports\/mine\/mine-\d{4}-\d{2}-\d{2}\.md/);
    const calls = llm.count();
    expect(calls).toBeGreaterThan(0);

    const second = await npmStart(env);
    expect(second.code, second.out).toBe(0);
    expect(second.out).not.toMatch(/^FAILED/m);
    expect(second.out).toMatch(/mine: 0 added.* from 0\/0 new entries; 0 LLM calls/);
    expect(second.out).toMatch(/dedup finance \(run \d+\): \d+ facts, removed 0,/);
    expect(llm.count()).toBe(calls);
    expect(readFileSync(join(demo, "kb.config.yaml"), "utf8")).toMatch(/^llm:\n {2}baseUrl: /m);
    expect(first.out).toContain(`  ${join(demo, "reports")}/audit-`);
  }, 180_000);

  it("mines from a keyless local endpoint, forgets it on a start without KB_LLM_*, and --reset starts over", async () => {
    const llm = await startOpenAiServer({ "qwen3:8b": oneFact });
    const demo = join(tempDir("kb-demo-"), "demo");
    const keyless = {
      KB_DEMO_DIR: demo,
      KB_LLM_BASE_URL: llm.url,
      KB_LLM_MODEL: "qwen3:8b",
      OPENAI_API_KEY: "",
    };
    const first = await npmStart(keyless);
    expect(first.code, first.out).toBe(0);
    expect(first.out).toContain(`kb demo: mining with qwen3:8b at ${llm.url} (no API key)`);
    expect(first.out).toMatch(/^ok {6}mine$/m);
    expect(readFileSync(join(demo, "kb.config.yaml"), "utf8")).not.toContain("apiKeyEnv");

    const plain = await npmStart({ KB_DEMO_DIR: demo, KB_LLM_BASE_URL: "" });
    expect(plain.code, plain.out).toBe(0);
    expect(plain.out).toContain("no LLM configured, so mining is skipped");
    expect(plain.out).toMatch(/^skipped mine — no LLM configured/m);
    expect(plain.out).not.toMatch(/OPENAI_API_KEY|is not set|^FAILED/m);
    expect(readFileSync(join(demo, "kb.config.yaml"), "utf8")).not.toMatch(/^llm:/m);
    expect(plain.out).toContain("kb demo: start over: npm start -- --reset");

    const reset = await npmStart({ KB_DEMO_DIR: demo, KB_LLM_BASE_URL: "" }, ["--reset"]);
    expect(reset.code, reset.out).toBe(0);
    expect(reset.out).toContain(`kb demo: removed ${demo}; starting over from the sample brain`);
    expect(reset.out).toContain(`kb demo: copied the sample brain to ${join(demo, "brain")}`);
  }, 180_000);

  it("without an LLM says how to configure one and still runs the rest", async () => {
    const demo = join(tempDir("kb-demo-"), "demo");
    const r = await npmStart({ KB_DEMO_DIR: demo, KB_LLM_BASE_URL: "" });
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain("no LLM configured, so mining is skipped");
    expect(r.out).toContain("KB_LLM_BASE_URL=http://127.0.0.1:11434/v1 KB_LLM_MODEL=qwen3:8b npm start");
    expect(r.out).toMatch(/^skipped mine — no LLM configured/m);
    expect(r.out).toMatch(/^ok {6}audit$/m);
  }, 180_000);
});
