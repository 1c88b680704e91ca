import { readFileSync } from "node:fs";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { ExitCode } from "../../errors.js";
import { createMcpServer } from "../../mcp/server.js";
import type { Context } from "../../runtime/context.js";
import type { CommandInput, CommandOutput } from "../types.js";

/**
 * `kb mcp`: the brain as a Model Context Protocol server on stdin/stdout, until the client closes
 * stdin or the process gets SIGTERM. Logs go to stderr only: stdout carries the protocol.
 */
export async function run(ctx: Context, input: CommandInput): Promise<CommandOutput> {
  const { version } = JSON.parse(
    readFileSync(new URL("../../../../package.json", import.meta.url), "utf8"),
  ) as {
    version: string;
  };
  const server = createMcpServer(ctx, version, { record: input.opts.record !== false });
  const transport = new StdioServerTransport();
  let clientGone: (error: NodeJS.ErrnoException) => void = () => {};
  const closed = new Promise<void>((resolve) => {
    process.stdin.once("end", resolve);
    process.stdin.once("close", resolve);
    ctx.signal.addEventListener("abort", () => resolve(), { once: true });
    transport.onclose = () => resolve();
    // A client that closes its end while a reply is on the way is a client that left: end quietly.
    clientGone = (error) => {
      if (error.code === "EPIPE" || error.code === "ERR_STREAM_DESTROYED")
        ctx.log.debug("the client closed its end; stopping");
      else ctx.log.warn("cannot write to the client; stopping", { error: error.message });
      resolve();
    };
    process.stdout.on("error", clientGone);
  });
  try {
    await server.connect(transport);
    ctx.log.info("mcp server ready on stdio", { brain: ctx.config.brain });
    await closed;
    await server.close();
  } finally {
    process.stdout.off("error", clientGone);
  }
  return { data: null, text: "", exitCode: ExitCode.ok };
}
