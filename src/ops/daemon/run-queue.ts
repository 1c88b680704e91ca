/**
 * The daemon's runs, one at a time. sync, mine (apply mode) and dedup all write the brain's
 * working tree and git index, which cron cannot coordinate but one process can: a job that comes
 * due while another runs waits its turn. A job already queued or running is not queued again,
 * so a slow run never piles up ticks of itself.
 */
export class RunQueue {
  private tail: Promise<void> = Promise.resolve();
  private readonly pending = new Set<string>();
  private closed = false;
  /** What runs now, for the health endpoint and the shutdown log. */
  current: { key: string; since: Date } | null = null;

  /** Queue `work` under `key`; null when that key is already queued or running, or the queue is closed. */
  enqueue(key: string, work: () => Promise<void>): Promise<void> | null {
    if (this.closed || this.pending.has(key)) return null;
    this.pending.add(key);
    const run = this.tail
      .then(async () => {
        if (this.closed) return;
        this.current = { key, since: new Date() };
        try {
          await work();
        } finally {
          this.current = null;
        }
      })
      .finally(() => this.pending.delete(key));
    this.tail = run.catch(() => {});
    return run;
  }

  /** Stop taking work, drop what is queued, and resolve once the running job has ended. */
  close(): Promise<void> {
    this.closed = true;
    return this.tail;
  }
}
