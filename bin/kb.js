#!/usr/bin/env node
// kb's entry point: the only place that calls process.exit.
import { readFileSync } from "node:fs";

const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const argv = process.argv.slice(2);

if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
  process.stdout.write(`${version}\n`);
} else if (argv[0] === "merge-driver" && argv.length === 5) {
  // git runs the merge driver once per file both sides changed: skip the CLI's start-up.
  const { runStandalone } = await import("../dist/src/cli/commands/merge-driver.js");
  await runStandalone({ args: argv.slice(1), opts: {} }, {}).catch((error) => {
    process.stderr.write(`kb merge-driver: ${error?.message ?? error}\n`);
    process.exitCode = 1;
  });
} else {
  const controller = new AbortController();
  let signals = 0;
  const stop = (signal) => {
    signals += 1;
    if (signals > 1) process.exit(130);
    process.stderr.write(`kb: ${signal} received; finishing the current step (send again to exit now)\n`);
    controller.abort(new Error(`${signal} received`));
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  const { main } = await import("../dist/src/cli/main.js");
  const code = await main(argv, version, {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    signal: controller.signal,
  });
  process.exitCode = code;
}
