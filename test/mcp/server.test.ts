import { spawn } from "node:child_process";
import { appendFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { describe, expect, it } from "vitest";
import { kbBin, makeTree, onCleanup, tempDir } from "../helpers/index.js";
import { stdioClient } from "../helpers/mcp-http.js";

const doc = (fm: string, body: string) => `---\n${fm}\n---\n\n${body}\n`;

/** A brain with a current file, an expired one and an archived copy of an old fact. */
function brainDir(): string {
  const root = tempDir("kb-mcp-");
  makeTree(
    {
      "kb.config.yaml": "host: test\nbrain: ./brain\nstate: ./state\nreports: ./reports\n",
      "brain/customer-service/returns.md": doc(
        "title: Returns\nowner: '@sofie'\nlast_reviewed: 2026-11-01\nreview_every: 3mo",
        "## Returns\n\n- Returns are accepted within 30 days of delivery. <!-- kb: customer-service 2026-11-01 -->\n- Sale items can be returned within 14 days.",
      ),
      "brain/finance/payouts.md": doc(
        "title: Payouts\nowner: '@lars'\nlast_reviewed: 2026-01-01\nreview_every: 3mo",
        "## Payouts\n\n- Adyen pays out on Tuesdays and Fridays.",
      ),
      "brain/_archive/customer-service/returns.md": doc(
        "title: Old returns\nstatus: archived",
        "## Returns\n\n- Returns are accepted within 14 days of delivery.",
      ),
    },
    root,
  );
  return root;
}

const connect = (root: string): Promise<Client> => stdioClient(root);

type Text = { type: string; text: string }[];
const textOf = (r: { content?: unknown }) => (r.content as Text).map((c) => c.text).join("\n");

describe("kb mcp (the SDK's client over stdio)", () => {
  it("lists three read-only tools", async () => {
    const client = await connect(brainDir());
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(["outline", "read_file", "search"]);
    expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
  }, 30_000);

  it("answers search like kb search: no archived fact, freshness attached, stale files last", async () => {
    const client = await connect(brainDir());
    const r = await client.callTool({ name: "search", arguments: { query: "returns accepted days", k: 5 } });
    expect(r.isError).toBeFalsy();
    const hits = (
      r.structuredContent as { hits: { text: string; file: string; state: string; due: string }[] }
    ).hits;
    expect(hits.map((h) => [h.file, h.text, h.state, h.due])).toEqual([
      [
        "customer-service/returns.md",
        "Returns are accepted within 30 days of delivery.",
        "current",
        "2027-02-01",
      ],
      ["customer-service/returns.md", "Sale items can be returned within 14 days.", "current", "2027-02-01"],
    ]);
    expect(textOf(r)).not.toContain("<!--");
    const payout = await client.callTool({ name: "search", arguments: { query: "when does adyen pay out" } });
    expect(textOf(payout)).toContain("EXPIRED: review was due 2026-04-01");
  }, 30_000);

  it("reads a file's current facts and the outline, and sees an edit made while it runs", async () => {
    const root = brainDir();
    const client = await connect(root);
    const file = await client.callTool({
      name: "read_file",
      arguments: { path: "customer-service/returns.md" },
    });
    expect(textOf(file)).toMatchInlineSnapshot(`
      "customer-service/returns.md — Returns · @sofie · current, review due 2027-02-01

      ## Returns
      - Returns are accepted within 30 days of delivery.  (line 10)
      - Sale items can be returned within 14 days.  (line 11)"
    `);
    appendFileSync(join(root, "brain/customer-service/returns.md"), "- Gift cards cannot be returned.\n");
    const found = await client.callTool({ name: "search", arguments: { query: "gift cards" } });
    expect(textOf(found)).toContain("Gift cards cannot be returned.");
    const out = await client.callTool({ name: "outline", arguments: {} });
    expect((out.structuredContent as { files: { file: string }[] }).files.map((f) => f.file)).toEqual([
      "customer-service/returns.md",
      "finance/payouts.md",
    ]);
  }, 30_000);

  it("gives clear tool errors for bad arguments and keeps serving", async () => {
    const root = brainDir();
    const client = await connect(root);
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ["search", {}, /Invalid arguments for tool search/],
      ["search", { query: "returns", k: 0 }, /Invalid arguments for tool search/],
      ["search", { query: "?!" }, /has no words to search for/],
      ["search", { query: "returns", scope: "nope" }, /--scope "nope" is neither a dedup scope/],
      [
        "read_file",
        { path: "_archive/customer-service/returns.md" },
        /_archive\/, dot-folders and paths leaving the brain are never served/,
      ],
      ["read_file", { path: "../kb.config.yaml" }, /never served/],
      ["read_file", { path: "finance/nope.md" }, /no such file in the brain/],
      ["outline", { folder: "legal" }, /no brain files under this folder/],
    ];
    for (const [name, args, message] of cases) {
      const r = await client.callTool({ name, arguments: args });
      expect(r.isError, `${name} ${JSON.stringify(args)}`).toBe(true);
      expect(textOf(r)).toMatch(message);
    }
    writeFileSync(join(root, "brain/finance/broken.md"), "---\ntitle: [unclosed\n---\n- x\n");
    const broken = await client.callTool({ name: "read_file", arguments: { path: "finance/broken.md" } });
    expect(broken.isError).toBe(true);
    expect(textOf(broken)).toMatch(/^finance\/broken.md: kb cannot read this file \(BAD_YAML/);
    const still = await client.callTool({ name: "search", arguments: { query: "adyen" } });
    expect(still.isError).toBeFalsy();
    expect(textOf(still)).toContain("Adyen pays out on Tuesdays and Fridays.");
  }, 30_000);
});

describe("kb mcp when the client goes away", () => {
  it("ends quietly with exit 0 when the client closes its end while a reply is on the way", async () => {
    const root = brainDir();
    const child = spawn(process.execPath, [kbBin, "--config", join(root, "kb.config.yaml"), "mcp"], {
      cwd: root,
      env: { ...process.env, NO_COLOR: "1" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    onCleanup(() => child.kill("SIGKILL"));
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const send = (message: object) => child.stdin.write(`${JSON.stringify(message)}\n`);
    // After the first reply, the client stops reading and asks again: the server's reply hits a closed pipe.
    child.stdout.once("data", () => {
      child.stdout.destroy();
      send({ jsonrpc: "2.0", id: 2, method: "tools/list" });
    });
    send({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).not.toMatch(/EPIPE|Unhandled|at .*\.js:\d+/);
    expect(code, stderr).toBe(0);
  });
});
