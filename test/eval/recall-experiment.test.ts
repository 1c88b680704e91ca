import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { inOtherPass, repoRoot, skipping } from "../helpers/index.js";

interface Row {
  when: "before" | "after";
  engine: string;
  score: { recall: number; staleHitRate: number; changedRecall: number };
}

function experiment(): Promise<{ code: number | null; rows: Row[]; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [join(repoRoot, "scripts/recall-experiment.mjs"), "--engines", "kb", "--json"],
      { cwd: repoRoot, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("close", (code) => {
      const last = out.trim().split("\n").at(-1) ?? "{}";
      resolve({
        code,
        rows: (JSON.parse(last.startsWith("{") ? last : "{}").rows ?? []) as Row[],
        out: out + err,
      });
    });
  });
}

describe.skipIf(skipping("the recall experiment", inOtherPass("long")))(
  "the recall experiment (npm start's pipeline with the scripted extractor)",
  () => {
    it("answers every question about an update after the pipeline, and fewer outdated values reach agents", async () => {
      const r = await experiment();
      expect(r.code, r.out).toBe(0);
      const before = r.rows.find((x) => x.when === "before")!.score;
      const after = r.rows.find((x) => x.when === "after")!.score;
      expect(before.changedRecall).toBeLessThan(1);
      expect(after.changedRecall).toBe(1);
      expect(after.recall).toBeGreaterThan(before.recall);
      expect(after.staleHitRate).toBeLessThan(before.staleHitRate);
      expect(r.out).toContain('"targetsNotInPrompt": []');
    }, 600_000);
  },
);
