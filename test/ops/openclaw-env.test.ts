import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot, tempDir } from "../helpers/index.js";

describe("scripts/openclaw-env.sh (what npm test fetches for the OpenClaw contract tests)", () => {
  it("--plan names each download and its size before anything is fetched, and installs nothing", () => {
    const cache = join(tempDir("kb-tools-"), "cache");
    const r = spawnSync("bash", [join(repoRoot, "scripts/openclaw-env.sh"), "--plan"], {
      encoding: "utf8",
      env: { ...process.env, KB_TOOLS_DIR: cache },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(
      r.stdout.replaceAll(cache, "<cache>").replace(/node-\w+-\w+/, "node-OS-ARCH"),
    ).toMatchInlineSnapshot(`
      "fetching Node 24 (node-OS-ARCH, about 190 MB) into <cache>/node24
      fetching openclaw@2026.9.6 (about 650 MB) into <cache>/openclaw-2026.9.6
      "
    `);
    expect(existsSync(cache)).toBe(false);
  });
});
