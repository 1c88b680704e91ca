import { spawn } from "node:child_process";
import { cpSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { rng } from "../../bench/generate.js";
import { inOtherPass, kbBin, skipping } from "../helpers/index.js";
import { type Host, snapshot, twoHosts } from "./fixture.js";

const ROUNDS = Number(process.env.KB_SOAK_ROUNDS ?? 100);
const FILES = Array.from({ length: 10 }, (_, i) => (i % 2 ? `team/t${i}.md` : `f${i}.md`));

/** Start `kb sync` in its own process group and kill -9 the group after `afterMs`. */
function killedSync(host: Host, afterMs: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [kbBin, "--config", join(host.ctx.root, "kb.config.yaml"), "sync"],
      {
        detached: true,
        stdio: "ignore",
      },
    );
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // it finished first
      }
    }, afterMs);
    child.on("exit", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

describe.skipIf(skipping("the sync soak", inOtherPass("long")))(
  "soak: concurrent edits and syncs on two hosts with random kill -9",
  () => {
    it(`converges after ${ROUNDS} rounds with no lost fact and no conflict marker`, async () => {
      const seed = Number(process.env.KB_SOAK_SEED ?? 20261124);
      const rand = rng(seed);
      const seedFiles = Object.fromEntries(
        FILES.map((f) => [f, `# ${f}\n\nSome prose about ${f}.\n\n- Seed fact of ${f}.\n`]),
      );
      const { a, b } = await twoHosts(seedFiles, { deadlineSeconds: 60 });
      const alive = new Set<string>(FILES.map((f) => `Seed fact of ${f}.`));
      const gone = new Set<string>();
      const mine = new Map<Host, string[]>([
        [a, []],
        [b, []],
      ]);
      let kills = 0;
      for (let round = 1; round <= ROUNDS; round++) {
        for (const host of [a, b]) {
          const edits = 1 + Math.floor(rand() * 2);
          for (let k = 0; k < edits; k++) {
            const file = FILES[Math.floor(rand() * FILES.length)]!;
            const lines = host.read(file).split("\n");
            const own = mine.get(host)!;
            if (rand() < 0.25 && own.length > 0) {
              const idx = Math.floor(rand() * own.length);
              const fact = own[idx]!;
              const at = lines.indexOf(`- ${fact}`);
              if (at !== -1) {
                lines.splice(at, 1);
                own.splice(idx, 1);
                alive.delete(fact);
                gone.add(fact);
                host.write(file, lines.join("\n"));
                continue;
              }
            }
            const fact = `${host.name} round ${round} note ${k}: ${Math.floor(rand() * 1e9).toString(36)}.`;
            const factLines = lines.map((l, i) => (l.startsWith("- ") ? i : -1)).filter((i) => i !== -1);
            const at = factLines[Math.floor(rand() * factLines.length)] ?? lines.length - 1;
            lines.splice(at + (rand() < 0.5 ? 0 : 1), 0, `- ${fact}`);
            host.write(file, lines.join("\n"));
            alive.add(fact);
            own.push(fact);
          }
        }
        const killer = rand() < Number(process.env.KB_SOAK_KILLS ?? 0.12) ? (rand() < 0.5 ? a : b) : null;
        await Promise.all(
          [a, b].map(async (host) => {
            if (host === killer) {
              kills++;
              await killedSync(host, 50 + Math.floor(rand() * 400));
            } else {
              const r = await host.sync();
              if (!["ok", "network", "locked"].includes(r.data.result))
                throw new Error(`round ${round} ${host.name}: ${r.text}`);
            }
          }),
        );
      }
      for (const host of [a, b, a, b]) expect((await host.sync()).data.result).toBe("ok");
      const headA = a.git("rev-parse", "HEAD");
      expect(b.git("rev-parse", "HEAD")).toBe(headA);
      expect(snapshot(a)).toEqual(snapshot(b));
      const text = Object.values(snapshot(a)).join("\n");
      const facts = text
        .split("\n")
        .filter((l) => l.startsWith("- "))
        .map((l) => l.slice(2));
      const lost = [...alive].filter((f) => !facts.includes(f));
      const resurrected = [...gone].filter((f) => facts.includes(f));
      const duplicated = facts.filter((f, i) => facts.indexOf(f) !== i);
      const gitMarkers = (text.match(/^(<<<<<<<|>>>>>>>)/gm) ?? []).length;
      const kbMarkers = (text.match(/<!-- kb:conflict/g) ?? []).length;
      console.log(
        `soak: ${ROUNDS} rounds, ${kills} kills, ${alive.size} facts alive, ${lost.length} lost facts, ${resurrected.length} resurrected, ${duplicated.length} duplicated, ${gitMarkers + kbMarkers} conflict markers (seed ${seed})`,
      );
      if (duplicated.length + lost.length + resurrected.length > 0 && process.env.KB_SOAK_KEEP) {
        cpSync(a.ctx.root, join(process.env.KB_SOAK_KEEP, "alpha"), { recursive: true });
        cpSync(b.ctx.root, join(process.env.KB_SOAK_KEEP, "beta"), { recursive: true });
        console.log(JSON.stringify({ lost, resurrected, duplicated: duplicated.slice(0, 5) }));
      }
      expect({ lost, resurrected, duplicated, gitMarkers, kbMarkers }).toEqual({
        lost: [],
        resurrected: [],
        duplicated: [],
        gitMarkers: 0,
        kbMarkers: 0,
      });
      await a.sync();
      expect(a.git("rev-parse", "HEAD")).toBe(headA);
    }, 600_000);
  },
);
