import { type ExecOptions, type ExecResult, exec } from "./exec.js";

/**
 * The one git wrapper. Always non-interactive: no credential prompts, ssh in batch mode with
 * timeouts, no pager, no editor. Throws `ExecError` (carrying stdout/stderr) on failure unless
 * `allowFailure` is set.
 */
export interface GitOptions extends ExecOptions {
  sshConnectTimeoutSeconds?: number;
}

export function gitEnv(options: GitOptions = {}): NodeJS.ProcessEnv {
  const connect = options.sshConnectTimeoutSeconds ?? 10;
  const ssh =
    process.env.KB_GIT_SSH ??
    `ssh -o BatchMode=yes -o ConnectTimeout=${connect} -o ServerAliveInterval=5 -o ServerAliveCountMax=3`;
  return {
    ...process.env,
    ...options.env,
    GIT_TERMINAL_PROMPT: "0",
    GIT_ASKPASS: "",
    SSH_ASKPASS: "",
    GIT_SSH_COMMAND: ssh,
    GIT_PAGER: "cat",
    GIT_EDITOR: "true",
    GIT_MERGE_AUTOEDIT: "no",
    LC_ALL: "C",
  };
}

export function git(args: string[], options: GitOptions = {}): Promise<ExecResult> {
  return exec("git", ["-c", "core.quotepath=off", ...args], { ...options, env: gitEnv(options) });
}

/** `git ...` trimmed stdout. */
export async function gitOut(args: string[], options: GitOptions = {}): Promise<string> {
  return (await git(args, options)).stdout.trim();
}
