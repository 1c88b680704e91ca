import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { kbInProcess, makeTree, runKb } from "../helpers/index.js";

const CONFIG = `host: t
brain: ./brain
state: ./state
reports: ./reports
mine:
  sources:
    - { agent: finance, kind: openclaw-jsonl, path: ./logs/finance }
    - agent: retail
      kind: claude-code
      path: ./logs/retial
llm:
  baseUrl: http://127.0.0.1:9/v1
  models: [m]
`;

describe("a mine source that names a missing path is a configuration error", () => {
  function host(): string {
    const root = makeTree({
      "kb.config.yaml": CONFIG,
      "brain/finance/payments.md": "# Payments\n\n- One.\n",
    });
    mkdirSync(join(root, "logs/finance"), { recursive: true });
    return root;
  }

  it.each([[["mine"]], [["mine", "--dry-run"]], [["mine", "--agent", "retail", "--dry-run"]]])(
    "kb %j exits 2 naming the source, its line and what would be valid",
    async (args) => {
      const root = host();
      const r = await kbInProcess(args, root);
      expect(r.code).toBe(2);
      expect(r.stderr.replaceAll(root, "<root>")).toMatchInlineSnapshot(`
        "kb mine: a log source names a path that does not exist:
          <root>/kb.config.yaml:10: "mine.sources.1.path" (agent retail, kind claude-code) names <root>/logs/retial, which does not exist; expected a file, a folder or a glob of the agent's logs (relative paths resolve against <root>)
        "
      `);
    },
  );

  it("kb doctor checks every source path, with the same words", async () => {
    const root = host();
    const r = await kbInProcess(["doctor"], root);
    expect(r.code).toBe(1);
    expect(
      r.stdout
        .replaceAll(root, "<root>")
        .split("\n")
        .filter((l) => l.includes("mine-sources") || l.includes("fix the path")),
    ).toMatchInlineSnapshot(`
      [
        "ERROR mine-sources: <root>/kb.config.yaml:10: "mine.sources.1.path" (agent retail, kind claude-code) names <root>/logs/retial, which does not exist; expected a file, a folder or a glob of the agent's logs (relative paths resolve against <root>)",
        "      → fix the path in the config, or remove the source",
      ]
    `);
  });

  it("mining only an agent whose sources exist still works", async () => {
    const root = host();
    writeFileSync(join(root, "logs/finance/s.jsonl"), "");
    const r = await kbInProcess(["mine", "--agent", "finance", "--dry-run"], root);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatchInlineSnapshot(`
      "mine plan: 0 chunks, ~0 prompt tokens, ~$0.0000 with m; 0 of 0 new entries kept
      dry run: no LLM call, nothing written
      "
    `);
  });

  it("no sources at all lists every kind, openclaw first", async () => {
    const root = makeTree({
      "kb.config.yaml": "host: t\nbrain: ./brain\nstate: ./state\n",
      "brain/a.md": "# A\n",
    });
    const r = await kbInProcess(["mine", "--dry-run"], root);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatchInlineSnapshot(`
      "kb mine: kb mine has no log sources: add mine.sources: [{agent, kind, path}] (kinds: openclaw, openclaw-jsonl, openclaw-sqlite, openclaw-memory, claude-code, markdown)
      "
    `);
  });

  it("--plan is a hidden alias of --dry-run that says so", async () => {
    const root = host();
    writeFileSync(join(root, "logs/finance/s.jsonl"), "");
    const r = await runKb(["mine", "--agent", "finance", "--plan"], { cwd: root });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("dry run: no LLM call, nothing written");
    expect(r.stderr).toContain("kb mine --plan is now kb mine --dry-run");
    const help = await kbInProcess(["mine", "--help"], root);
    expect(help.stdout).not.toContain("--plan");
    expect(help.stdout).toContain("--dry-run");
  });
});
