import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { run as runInit } from "../../src/cli/commands/init.js";
import { makeContext, type TestContext, tempDir } from "../helpers/index.js";
import { OC_HEADER, ocLine } from "../mine/env.js";

export const SEED = {
  "finance/payments.md": "# Payments\n\n## Payouts\n\n- Card payments settle in EUR.\n",
  "cs/returns.md": "# Returns\n\n## Returns\n\n- Returns accepted within 30 days.\n",
};

/** An agent log that grows by one user message per `say`, so each mine run has one new entry. */
export function growingLog(ctx: TestContext) {
  const file = join(ctx.root, "logs/finance/s.jsonl");
  mkdirSync(join(ctx.root, "logs/finance"), { recursive: true });
  let text = OC_HEADER;
  let n = 0;
  return (said: string) => {
    n++;
    const id = `c${String(n).padStart(7, "0")}`;
    const parent = n === 1 ? null : `c${String(n - 1).padStart(7, "0")}`;
    text += ocLine(id, parent, `2026-11-20T09:${String(n).padStart(2, "0")}:00.000Z`, "user", said);
    writeFileSync(file, text);
  };
}

/** A host whose config mines ./logs/finance with the model at `llmUrl` and syncs with `hub`. */
function host(
  name: string,
  hub: string,
  llmUrl: string,
  seed: Record<string, string>,
  mine: Record<string, unknown>,
) {
  const root = tempDir(`kb-${name}-`);
  return makeContext({
    root,
    brain: seed,
    config: {
      host: name,
      sync: { hub, massDeleteMinFiles: 3 },
      mine: { sources: [{ agent: "finance", kind: "openclaw-jsonl", path: "./logs/finance" }], ...mine },
      llm: { baseUrl: llmUrl, models: ["cheap"], prices: { cheap: { input: 1, output: 2 } } },
    },
  });
}

/** A bare hub, a mining host (alpha) that publishes SEED, and a second host (beta) that clones it. */
export async function twoMiningHosts(llmUrl: string, mine: Record<string, unknown> = {}) {
  const hub = join(tempDir("kb-hub-"), "hub.git");
  const a = host("alpha", hub, llmUrl, SEED, mine);
  const b = host("beta", hub, llmUrl, {}, {});
  rmSync(join(b.root, "brain"), { recursive: true, force: true });
  await runInit(a, { args: [], opts: {} });
  await runInit(b, { args: [], opts: {} });
  return { a, b };
}
