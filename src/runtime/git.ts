import { type ExecOptions, type ExecResult, exec } from "./exec.js";

/**
 * The one git wrapper. Always non-interactive: no credential prompts, ssh in batch mode with
 * timeouts, no pager, no editor. Throws `ExecError` (carrying stdout/stderr) on failure unless
 * `allowFailure` is set.
 */
export interface GitOptions extends ExecOptions {
  sshConnectTimeoutSeconds?: number;
  /** The only key ssh offers (`-i KEY -o IdentitiesOnly=yes`). */
  sshKey?: string;
}

export function gitEnv(options: GitOptions = {}): NodeJS.ProcessEnv {
  const connect = options.sshConnectTimeoutSeconds ?? 10;
  const ssh =
    process.env.KB_GIT_SSH ??
    `ssh -o BatchMode=yes -o ConnectTimeout=${connect} -o ServerAliveInterval=5 -o ServerAliveCountMax=3`;
  const key = options.sshKey ? ` -i ${shellQuote(options.sshKey)} -o IdentitiesOnly=yes` : "";
  return {
    ...process.env,
    ...options.env,
    GIT_TERMINAL_PROMPT: "0",
    GIT_ASKPASS: "",
    SSH_ASKPASS: "",
    GIT_SSH_COMMAND: ssh + key,
    GIT_PAGER: "cat",
    GIT_EDITOR: "true",
    GIT_MERGE_AUTOEDIT: "no",
    LC_ALL: "C",
  };
}

/** git runs GIT_SSH_COMMAND through the shell: quote the key path as one word. */
function shellQuote(s: string): string {
  return `'${s.replace(/'/g, "'\\''")}'`;
}

export function git(args: string[], options: GitOptions = {}): Promise<ExecResult> {
  return exec("git", ["-c", "core.quotepath=off", ...args], { ...options, env: gitEnv(options) });
}

/** `git ...` trimmed stdout. */
export async function gitOut(args: string[], options: GitOptions = {}): Promise<string> {
  return (await git(args, options)).stdout.trim();
}
