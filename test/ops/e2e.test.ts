import { cpSync, existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { git } from "../../src/runtime/git.js";
import { type KbResult, repoRoot, runKb, tempDir } from "../helpers/index.js";
import { reply, startOpenAiServer } from "../helpers/openai-server.js";
import { startWebhookServer } from "../helpers/webhook-server.js";

/**
 * The whole system as an operator runs it: a hub and two hosts (each with its own config, state,
 * brain clone and log sources), the nightly pipeline from the real `kb` binary against a local
 * OpenAI-protocol server, then the hub disappears and comes back.
 */
const SCOPES = ["company", "customer-service", "finance", "retail", "marketing", "merchandising", "hr"];

interface HostSetup {
  name: string;
  root: string;
  config: string;
  brain: string;
  kb(...args: string[]): Promise<KbResult>;
  json(...args: string[]): Promise<{ code: number | null; data: Record<string, unknown> }>;
}

function host(
  name: string,
  hub: string,
  llmUrl: string,
  webhook: string,
  mine: Record<string, unknown>,
): HostSetup {
  const root = tempDir(`kb-e2e-${name}-`);
  const config = join(root, "kb.config.yaml");
  writeFileSync(
    config,
    stringify({
      host: name,
      brain: "./brain",
      state: "./state",
      reports: "./reports",
      ignore: ["README.md"],
      sync: { hub },
      mine,
      llm: {
        baseUrl: llmUrl,
        apiKeyEnv: "KB_E2E_KEY",
        models: ["house-model"],
        prices: { "house-model": { input: 0.2, output: 0.8 } },
      },
      dedup: { scopes: SCOPES.map((s) => ({ name: s, paths: `${s}/**` })) },
      alerts: { webhook, timeoutSeconds: 2, retries: 1 },
    }),
  );
  const env = { KB_E2E_KEY: `key-for-${name}`, KB_CONFIG: config };
  const kb = (...args: string[]) => runKb(args, { cwd: root, env, timeoutMs: 120_000 });
  return {
    name,
    root,
    config,
    brain: join(root, "brain"),
    kb,
    json: async (...args) => {
      const r = await kb(...args, "--json");
      try {
        return { code: r.code, data: JSON.parse(r.stdout) as Record<string, unknown> };
      } catch {
        throw new Error(`kb ${args.join(" ")} printed no JSON (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
      }
    },
  };
}

type Step = { job: string; status: string; reason?: string };
const steps = (data: Record<string, unknown>) => (data.steps as Step[]).map((s) => `${s.job}:${s.status}`);

describe("two hosts, one hub, the nightly pipeline", () => {
  it("mines, dedups, syncs and audits on both hosts, converges, reports; a lost hub alerts once and recovers", async () => {
    const hub = join(tempDir("kb-e2e-hub-"), "hub.git");
    const llm = await startOpenAiServer({
      "house-model": (req) => {
        if (req.authorization === "Bearer key-for-vps")
          return reply({
            ops: [
              {
                op: "add",
                path: "finance/payments.md",
                section: "Payouts",
                text: "From 2026-12-01 Adyen pays out twice a week, on Tuesdays and Fridays.",
                evidence: "Adyen: payouts on Tuesdays and Fridays from 2026-12-01 (daily until then).",
              },
            ],
          });
        return reply({
          ops: [
            {
              op: "add",
              path: "customer-service/faq.md",
              text: "Finch Club members get the FW26 launch email on 2026-11-30 at 08:00 CET, a day early.",
              evidence: "Finch Club members on 2026-11-30 at 08:00 CET (24 h early access)",
            },
          ],
        });
      },
    });
    const hook = await startWebhookServer();
    const vps = host("vps", hub, llm.url, hook.url, {
      sources: [{ agent: "finance", kind: "openclaw-jsonl", path: "./logs/finance" }],
      mode: "apply",
    });
    const mac = host("mac", hub, llm.url, hook.url, {
      sources: [{ agent: "customer-service", kind: "claude-code", path: "./logs/cs" }],
      mode: "review",
    });
    cpSync(join(repoRoot, "brain"), vps.brain, { recursive: true });
    cpSync(join(repoRoot, "examples/sessions/openclaw/finance"), join(vps.root, "logs/finance"), {
      recursive: true,
    });
    cpSync(join(repoRoot, "examples/sessions/claude-code"), join(mac.root, "logs/cs"), { recursive: true });

    expect((await vps.kb("init")).code).toBe(0);
    expect((await mac.kb("init")).code).toBe(0);

    // --- the nightly pipeline on both hosts -----------------------------------------------
    const first = await vps.json("run", "nightly");
    expect(steps(first.data), JSON.stringify(first.data)).toEqual([
      "sync:ok",
      "mine:ok",
      "consolidate:ok",
      "dedup:ok",
      "sync:ok",
      "audit:ok",
    ]);
    expect(first.code).toBe(0);
    // An agent on the Mac writes a new file into its clone between runs.
    writeFileSync(
      join(mac.brain, "retail/pop-up-oslo.md"),
      '---\ntitle: Oslo pop-up\nowner: "@nora.retail"\nlast_reviewed: 2026-11-20\n---\n\n# Oslo pop-up\n\n- The Oslo pop-up runs from 2026-12-01 to 2026-12-24 in Grünerløkka.\n',
    );
    const second = await mac.json("run", "nightly");
    expect(steps(second.data), JSON.stringify(second.data)).toEqual([
      "sync:ok",
      "mine:ok",
      "consolidate:ok",
      "dedup:ok",
      "sync:ok",
      "audit:ok",
    ]);
    expect((await vps.json("run", "sync")).code).toBe(0);

    // Each host's key went with its own requests.
    expect(new Set(llm.requests.map((r) => r.authorization))).toEqual(
      new Set(["Bearer key-for-vps", "Bearer key-for-mac"]),
    );
    // Commits from both hosts; both clones and the hub at the same commit.
    const head = await gitOut(vps.brain, "rev-parse", "HEAD");
    expect(await gitOut(mac.brain, "rev-parse", "HEAD")).toBe(head);
    expect(await gitOut(hub, "rev-parse", "main")).toBe(head);
    const authors = await gitOut(vps.brain, "log", "--format=%ae %s");
    expect(authors).toMatch(/@vps .*kb mine/);
    expect(authors).toMatch(/kb-sync@mac kb sync: mac: local changes \(1 added\)/);
    expect(readFileSync(join(vps.brain, "retail/pop-up-oslo.md"), "utf8")).toContain("Grünerløkka");
    // The VPS mined in apply mode: its fact reached the Mac through the hub.
    expect(readFileSync(join(mac.brain, "finance/payments.md"), "utf8")).toContain(
      "- From 2026-12-01 Adyen pays out twice a week, on Tuesdays and Fridays.",
    );
    // The Mac mined in review mode: a review branch, published to the hub, main untouched.
    const branches = await gitOut(hub, "for-each-ref", "--format=%(refname:short)", "refs/heads/kb/");
    expect(branches).toMatch(/^kb\/mine\/\d{4}-\d{2}-\d{2}-mac$/);
    expect(await gitOut(hub, "log", "-1", "--format=%ae", branches)).toBe("kb-mine@mac");
    expect(readFileSync(join(vps.brain, "customer-service/faq.md"), "utf8")).not.toContain(
      "FW26 launch email on 2026-11-30",
    );
    // Reports on each host.
    for (const h of [vps, mac]) {
      const reports = readdirSync(join(h.root, "reports"), { recursive: true }).map(String);
      for (const scope of SCOPES) expect(reports.some((r) => r.startsWith(`dedup-${scope}-`))).toBe(true);
      expect(reports.some((r) => /^audit-.*\.md$/.test(r))).toBe(true);
      expect(reports.some((r) => r.startsWith("mine"))).toBe(true);
    }
    // Healthy, with the Mac's review branch listed for a person.
    const vpsHealth = await vps.json("status");
    expect(vpsHealth.code, JSON.stringify(vpsHealth.data.problems)).toBe(0);
    expect(vpsHealth.data.healthy).toBe(true);
    const macHealth = await mac.json("status");
    expect(macHealth.data).toMatchObject({ healthy: true });
    expect(JSON.stringify(macHealth.data.reviewBranches)).toContain("-mac");
    // The bundled brain's contradictions no evidence settles: one alert per host names them.
    const contested = () => hook.accepted().filter((p) => p.kb.kind === "contested");
    expect(
      contested()
        .map((p) => p.kb.host)
        .sort(),
    ).toEqual(["mac", "vps"]);
    expect(contested()[0]?.text).toMatch(/contradiction\(s\) wait for a person/);
    const operations = () => hook.accepted().filter((p) => p.kb.kind !== "contested");
    expect(operations()).toEqual([]);

    // --- the hub disappears ---------------------------------------------------------------
    renameSync(hub, `${hub}.gone`);
    writeFileSync(
      join(vps.brain, "finance/payments.md"),
      `${readFileSync(join(vps.brain, "finance/payments.md"), "utf8")}- Refunds settle in 3 days.\n`,
    );
    const broken = await vps.json("run", "nightly");
    expect(steps(broken.data)).toEqual([
      "sync:failed",
      "mine:ok",
      "consolidate:ok",
      "dedup:ok",
      "sync:failed",
      "audit:ok",
    ]);
    expect(broken.code).toBe(5); // transient: the hub is unreachable, retry later
    const sick = await vps.json("status");
    expect(sick.code).not.toBe(0);
    expect(sick.data.healthy).toBe(false);
    expect((sick.data.problems as string[]).join("\n")).toMatch(/sync is failing/);
    // Two failed syncs, one alert.
    expect(operations()).toHaveLength(1);
    expect(operations()[0]).toMatchObject({
      kb: { host: "vps", key: "run:sync", kind: "failure", state: "firing" },
    });
    expect(operations()[0]?.text).toMatch(/^:red_circle: kb on vps: sync failed: /);
    expect((await vps.json("run", "sync")).code).not.toBe(0);
    expect(operations()).toHaveLength(1);

    // --- the hub comes back: the next good run recovers ------------------------------------
    renameSync(`${hub}.gone`, hub);
    const back = await vps.json("run", "sync");
    expect(steps(back.data)).toEqual(["sync:ok"]);
    expect((await vps.json("status")).data.healthy).toBe(true);
    expect(operations().map((p) => p.kb.state)).toEqual(["firing", "resolved"]);
    expect(contested()).toHaveLength(2);
    expect((await mac.json("run", "sync")).code).toBe(0);
    expect(readFileSync(join(mac.brain, "finance/payments.md"), "utf8")).toContain(
      "- Refunds settle in 3 days.",
    );
    expect(existsSync(join(vps.root, "state"))).toBe(true);
  }, 240_000);
});

async function gitOut(dir: string, ...args: string[]): Promise<string> {
  return (await git(["-C", dir, ...args])).stdout.trim();
}
