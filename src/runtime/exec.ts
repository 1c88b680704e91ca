import { spawn } from "node:child_process";
import { KbError } from "../errors.js";

export interface ExecResult {
  command: string;
  args: string[];
  stdout: string;
  stderr: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
}

/** A process that failed; carries everything it printed so the caller can report what happened. */
export class ExecError extends KbError {
  readonly result: ExecResult;
  constructor(result: ExecResult) {
    const why = result.timedOut
      ? "timed out"
      : result.signal
        ? `killed by ${result.signal}`
        : `exited with ${result.exitCode}`;
    const detail = result.stderr.trim() || result.stdout.trim();
    super("EXEC_FAILED", `${result.command} ${result.args.join(" ")} ${why}${detail ? `: ${detail}` : ""}`);
    this.result = result;
  }
}

export interface ExecOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
  timeoutMs?: number;
  /** Resolve instead of throwing on a non-zero exit; the caller inspects `exitCode`. */
  allowFailure?: boolean;
}

/** Run a program without a shell and without a TTY on stdin: nothing kb starts can prompt. */
export function exec(command: string, args: string[], options: ExecOptions = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill("SIGKILL");
          }, options.timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", (error) => {
      if (timer) clearTimeout(timer);
      reject(new KbError("EXEC_SPAWN", `cannot run ${command}: ${error.message}`, { cause: error }));
    });
    child.on("close", (exitCode, signal) => {
      if (timer) clearTimeout(timer);
      const result: ExecResult = {
        command,
        args,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        exitCode,
        signal,
        timedOut,
      };
      if ((exitCode === 0 && !timedOut) || (options.allowFailure && !timedOut)) resolve(result);
      else reject(new ExecError(result));
    });
    child.stdin.on("error", () => {});
    child.stdin.end(options.input ?? "");
  });
}
