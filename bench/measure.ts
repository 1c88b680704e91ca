import { spawnSync } from "node:child_process";

/** Wall time of `fn` in seconds. */
export async function time<T>(fn: () => T | Promise<T>): Promise<{ seconds: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { seconds: (performance.now() - start) / 1000, value };
}

/** Median wall time of `runs` runs of `fn`, in seconds. */
export async function median(runs: number, fn: () => unknown | Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push((await time(fn)).seconds);
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** Median wall time of a command, in seconds. */
export async function medianCommand(
  runs: number,
  command: string,
  args: string[],
  cwd?: string,
): Promise<number> {
  return median(runs, () => {
    const r = spawnSync(command, args, { cwd, stdio: "ignore" });
    if (r.status !== 0) throw new Error(`${command} ${args.join(" ")} exited with ${r.status}`);
  });
}

export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
