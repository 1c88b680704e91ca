import { existsSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import { TransientError } from "../errors.js";
import { ExecError, type ExecResult } from "../runtime/exec.js";
import { git } from "../runtime/git.js";

/** The identity of commits kb makes, so the audit can recognise them as bulk commits. */
export const SYNC_AUTHOR = "kb sync";

export interface RepoOptions {
  /** Epoch ms by which the whole run must end; every git call gets the time that is left. */
  deadline?: number;
  sshConnectTimeoutSeconds?: number;
  sshKey?: string;
  env?: NodeJS.ProcessEnv;
}

/** The brain clone, seen through the foundation's git wrapper, with a run-wide deadline. */
export class Repo {
  constructor(
    readonly dir: string,
    readonly options: RepoOptions = {},
  ) {}

  get gitDir(): string {
    return join(this.dir, ".git");
  }

  private timeLeft(): number | undefined {
    if (this.options.deadline === undefined) return undefined;
    const left = this.options.deadline - Date.now();
    if (left <= 0)
      throw new TransientError("SYNC_DEADLINE", "the sync run passed its deadline; it will resume next run");
    return left;
  }

  async run(
    args: string[],
    extra: { allowFailure?: boolean; env?: NodeJS.ProcessEnv; input?: string } = {},
  ): Promise<ExecResult> {
    const result = await git(args, {
      cwd: this.dir,
      input: extra.input,
      timeoutMs: this.timeLeft(),
      allowFailure: extra.allowFailure,
      env: { ...this.options.env, ...extra.env },
      sshConnectTimeoutSeconds: this.options.sshConnectTimeoutSeconds,
      sshKey: this.options.sshKey,
    }).catch((error: unknown) => {
      if (error instanceof ExecError && error.result.timedOut) {
        throw new TransientError(
          "SYNC_DEADLINE",
          `git ${args[0]} was stopped at the run's deadline (sync.deadlineSeconds); the next run resumes`,
          { cause: error },
        );
      }
      throw error;
    });
    if (result.timedOut) {
      throw new TransientError(
        "SYNC_DEADLINE",
        `git ${args[0]} was stopped at the run's deadline (sync.deadlineSeconds)`,
      );
    }
    return result;
  }

  async out(args: string[]): Promise<string> {
    return (await this.run(args)).stdout.trim();
  }

  /** Exit code 0? (for `git diff --quiet`, `rev-parse --verify` and friends). */
  async ok(args: string[]): Promise<boolean> {
    return (await this.run(args, { allowFailure: true })).exitCode === 0;
  }

  /** `git -c user.name=… -c user.email=… commit …` with kb's identity; never runs hooks that prompt. */
  commit(host: string, message: string, extra: string[] = []): Promise<ExecResult> {
    return this.run([
      "-c",
      `user.name=${SYNC_AUTHOR}`,
      "-c",
      `user.email=kb-sync@${host}`,
      "commit",
      "--no-verify",
      "--quiet",
      "-m",
      message,
      ...extra,
    ]);
  }

  async revParse(ref: string): Promise<string | null> {
    const r = await this.run(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { allowFailure: true });
    return r.exitCode === 0 ? r.stdout.trim() : null;
  }

  async count(range: string): Promise<number> {
    return Number(await this.out(["rev-list", "--count", range]));
  }
}

/** Whether a live `git` process is working in `dir` (Linux: /proc; elsewhere assume none). */
export function gitProcessAlive(dir: string): boolean {
  if (!existsSync("/proc")) return false;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() !== "git") continue;
      const cwd = readlinkSync(`/proc/${entry}/cwd`);
      if (cwd === dir || cwd.startsWith(`${dir}/`)) return true;
    } catch {
      // the process ended while we looked
    }
  }
  return false;
}
