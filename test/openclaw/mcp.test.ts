import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_GATE, gateEntry } from "../../src/mine/gate.js";
import { inOtherPass, kbBin, repoRoot, skipping, tempDir } from "../helpers/index.js";
import { addToken, serve } from "../helpers/mcp-http.js";
import { openclaw, openclawHome, runOpenclaw } from "../helpers/openclaw.js";

/**
 * `kb mcp` as the real OpenClaw sees it: the `mcp.servers` entry the README gives, probed with
 * `openclaw mcp probe` (OpenClaw starts kb over stdio and lists its tools). The names OpenClaw gives
 * them are the names kb's trust gating must recognise in transcripts.
 */
describe.skipIf(skipping("kb mcp through the real OpenClaw", inOtherPass("openclaw")))(
  "kb mcp through the real OpenClaw",
  () => {
    beforeAll(() => {
      openclaw();
    }, 600_000);

    it("starts from the README's mcp.servers entry and offers search, read_file and outline", async () => {
      const dir = tempDir();
      writeFileSync(
        join(dir, "kb.config.yaml"),
        `brain: ${join(repoRoot, "brain")}\nstate: ${join(dir, "state")}\n`,
      );
      const home = openclawHome({
        mcp: {
          servers: {
            kb: { command: process.execPath, args: [kbBin, "--config", join(dir, "kb.config.yaml"), "mcp"] },
          },
        },
      });
      const out = await runOpenclaw(home, ["mcp", "probe", "kb", "--json"]);
      const probe = JSON.parse(out.slice(out.indexOf("{"))) as { tools: string[]; diagnostics: unknown[] };
      expect(probe.diagnostics).toEqual([]);
      expect([...probe.tools].sort()).toEqual(["kb__outline", "kb__read_file", "kb__search"]);
      // What these tools return is the brain itself: never mined back.
      for (const toolName of probe.tools)
        expect(
          gateEntry(
            { key: "k", at: "", end: 0, text: "x", role: "tool", tool: true, toolName },
            DEFAULT_GATE,
          ),
        ).toBe("memory");
    }, 120_000);

    it("reaches kb mcp --http through a streamable-http entry with a bearer token", async () => {
      const dir = tempDir();
      writeFileSync(
        join(dir, "kb.config.yaml"),
        `brain: ${join(repoRoot, "brain")}\nstate: ${join(dir, "state")}\nreports: ${join(dir, "reports")}\n`,
      );
      const token = await addToken(dir, "openclaw-agent");
      const { url, stderr } = await serve(dir);
      const home = openclawHome({
        mcp: {
          servers: {
            kb: { url, transport: "streamable-http", headers: { Authorization: `Bearer ${token}` } },
          },
        },
      });
      const out = await runOpenclaw(home, ["mcp", "probe", "kb", "--json"]);
      const probe = JSON.parse(out.slice(out.indexOf("{"))) as { tools: string[]; diagnostics: unknown[] };
      expect(probe.diagnostics).toEqual([]);
      expect([...probe.tools].sort()).toEqual(["kb__outline", "kb__read_file", "kb__search"]);
      expect(stderr()).toContain('"token":"openclaw-agent"');
    }, 120_000);
  },
);
