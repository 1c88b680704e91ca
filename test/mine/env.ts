import { cpSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { git } from "../../src/runtime/git.js";
import { makeContext, repoRoot, type TestContext } from "../helpers/index.js";

export const BRAIN = {
  "customer-service/policies/returns.md": `---
title: Returns
owner: "@sofie.cs"
updated: 2026-10-01
---

# Returns

## Returns

- Customers can return items within 30 days of delivery.
- Sale items can be returned within 14 days.
`,
  "finance/payments.md": `---
title: Payments
owner: "@lars.finance"
updated: 2026-09-01
---

# Payments

## Payouts

- Adyen pays out daily to the Danske Bank EUR account.
- Card payments settle in EUR.
`,
};

/** A mine test bed: a git-tracked brain, copies of the sample logs, and config pointing at an LLM server. */
export async function mineEnv(options: {
  llmUrl?: string;
  models?: string[];
  sources?: {
    agent: string;
    kind: string;
    path: string;
    apiKeyEnv?: string;
    gate?: Record<string, unknown>;
  }[];
  logs?: Record<string, string>;
  mine?: Record<string, unknown>;
  llm?: Record<string, unknown>;
  brain?: Record<string, string>;
  /** Other config sections (e.g. dedup). */
  config?: Record<string, unknown>;
}): Promise<TestContext & { logsDir: string }> {
  const ctx = makeContext({
    brain: options.brain ?? BRAIN,
    config: {
      ...options.config,
      mine: {
        sources: options.sources ?? [{ agent: "finance", kind: "openclaw-jsonl", path: "./logs/finance" }],
        ...options.mine,
      },
      llm: options.llmUrl
        ? {
            baseUrl: options.llmUrl,
            models: options.models ?? ["cheap"],
            prices: { cheap: { input: 1, output: 2 } },
            ...options.llm,
          }
        : {},
    },
  });
  const logsDir = join(ctx.root, "logs");
  mkdirSync(logsDir, { recursive: true });
  for (const [name, text] of Object.entries(options.logs ?? {})) {
    mkdirSync(join(logsDir, name, ".."), { recursive: true });
    const { writeFileSync } = await import("node:fs");
    writeFileSync(join(logsDir, name), text);
  }
  await git(["init", "-q", "-b", "main", ctx.root]);
  await git(["-C", ctx.root, "add", "brain"]);
  await git(["-C", ctx.root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "brain"]);
  return Object.assign(ctx, { logsDir });
}

/** Copy the bundled sample logs into the test's logs folder. */
export function copySampleLogs(ctx: { logsDir: string }): void {
  cpSync(join(repoRoot, "examples/sessions/openclaw"), join(ctx.logsDir, "openclaw"), { recursive: true });
  cpSync(join(repoRoot, "examples/sessions/claude-code"), join(ctx.logsDir, "claude-code"), {
    recursive: true,
  });
  cpSync(join(repoRoot, "examples/memory"), join(ctx.logsDir, "memory"), { recursive: true });
}

/** One OpenClaw v3 transcript line. */
export function ocLine(
  id: string,
  parentId: string | null,
  at: string,
  role: "user" | "assistant",
  text: string,
): string {
  return `${JSON.stringify({
    type: "message",
    id,
    parentId,
    timestamp: at,
    message: { role, content: [{ type: "text", text }], timestamp: Date.parse(at) },
  })}\n`;
}

export const OC_HEADER = `${JSON.stringify({ type: "session", version: 3, id: "s-1", timestamp: "2026-11-20T09:00:00.000Z", cwd: "/x" })}\n`;
