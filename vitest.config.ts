import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    pool: "forks",
    // Most suites wait on child processes (kb, git, ssh, OpenClaw): one worker per core, and at
    // least two, keeps a 2-core machine busy (vitest's default leaves one core idle).
    maxWorkers: Math.max(2, availableParallelism()),
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
