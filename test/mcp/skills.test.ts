import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { describe, expect, it } from "vitest";
import { loadSkills, searchSkills } from "../../src/skills/library.js";
import { kbBin, kbInProcess, makeTree, onCleanup, tempDir } from "../helpers/index.js";
import { openclaw } from "../helpers/openclaw.js";

const skill = (name: string, description: string, body: string) =>
  `---\nname: ${name}\ndescription: "${description}"\n---\n\n# ${name}\n\n${body}\n`;

/** A config with a small skills library in two categories, one SKILL.md without a description. */
function site(): string {
  const root = tempDir("kb-skills-");
  makeTree(
    {
      "kb.config.yaml": "host: test\nbrain: ./brain\nstate: ./state\nskills: [./skills]\n",
      "brain/finance/payouts.md": "---\ntitle: Payouts\n---\n\n## Payouts\n\n- Adyen pays out on Tuesdays.\n",
      "skills/finance/month-end-close/SKILL.md": skill(
        "month-end-close",
        "Close the books at month end: reconcile Adyen payouts and file VAT.",
        "1. Export the Adyen settlement report.\n2. Reconcile it against the bank.",
      ),
      "skills/customer-service/refund/SKILL.md": skill(
        "refund",
        "Refund an order in the webshop admin, in full or in part.",
        "Open the order, choose Refund, pick the lines.",
      ),
      "skills/customer-service/broken/SKILL.md": "---\nname: broken\n---\nNo description.\n",
    },
    root,
  );
  return root;
}

describe("the skills library", () => {
  it("kb mcp lists skills by category, searches them apart from facts, and reads one in full", async () => {
    const root = site();
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [kbBin, "--config", join(root, "kb.config.yaml"), "--quiet", "mcp"],
      cwd: root,
      stderr: "pipe",
    });
    const c = new Client({ name: "kb-test", version: "1.0.0" });
    await c.connect(transport);
    onCleanup(() => void c.close());
    expect((await c.listTools()).tools.map((t) => t.name).sort()).toEqual([
      "list_skills",
      "outline",
      "read_file",
      "read_skill",
      "search",
      "search_skills",
    ]);
    const list = await c.callTool({ name: "list_skills", arguments: {} });
    expect((list.structuredContent as { skills: { category: string; name: string }[] }).skills).toEqual([
      expect.objectContaining({ category: "customer-service", name: "refund" }),
      expect.objectContaining({ category: "finance", name: "month-end-close" }),
    ]);
    const found = await c.callTool({
      name: "search_skills",
      arguments: { query: "reconcile adyen payouts" },
    });
    expect((found.structuredContent as { hits: { name: string }[] }).hits.map((h) => h.name)).toEqual([
      "month-end-close",
    ]);
    const facts = await c.callTool({ name: "search", arguments: { query: "adyen payouts" } });
    expect((facts.structuredContent as { hits: { file: string }[] }).hits.map((h) => h.file)).toEqual([
      "finance/payouts.md",
    ]);
    const read = await c.callTool({ name: "read_skill", arguments: { name: "refund" } });
    expect((read.content as { text: string }[])[0]!.text).toContain("Open the order, choose Refund");
    const missing = await c.callTool({ name: "read_skill", arguments: { name: "nope" } });
    expect(missing.isError).toBe(true);
  }, 30_000);

  it("kb search --skills, and a SKILL.md without a description is named, not served", async () => {
    const root = site();
    const r = await kbInProcess(
      ["--config", join(root, "kb.config.yaml"), "search", "--skills", "refund an order"],
      root,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^1\. refund \(customer-service\): Refund an order in the webshop admin/);
    expect(r.stdout).toMatch(
      /^not served: \/.*\/broken\/SKILL\.md: frontmatter needs a name and a description/m,
    );
  });

  it("reads the skills that ship inside the real openclaw package", () => {
    const { mjs } = openclaw();
    const library = loadSkills([join(mjs, "../skills")]);
    expect(library.problems).toEqual([]);
    expect(library.skills.length).toBeGreaterThanOrEqual(40);
    expect(library.skills.every((s) => s.category === "skills" && s.description.length > 0)).toBe(true);
    expect(searchSkills(library, "install or publish skills from ClawHub", 3)[0]?.skill.name).toBe("clawhub");
  }, 600_000);
});
