import cliProgress from "cli-progress";

/** Below this many facts a scope finishes too fast for a progress display to help. */
const LARGE_SCOPE = 20_000;

/**
 * A progress display for large scopes, on a TTY only (cron and pipes never see it). Dedup's work is
 * one planning step per scope, so the bar advances per scope with the fact count.
 */
export function dedupProgress(options: { enabled: boolean; stream?: NodeJS.WriteStream }) {
  const stream = options.stream ?? process.stderr;
  let bar: cliProgress.SingleBar | null = null;
  return {
    onScope(scope: string, facts: number) {
      if (!options.enabled || !stream.isTTY || facts < LARGE_SCOPE) {
        bar?.update({ scope });
        return;
      }
      bar ??= new cliProgress.SingleBar(
        { stream, format: "dedup {scope} [{bar}] {value}/{total} facts", hideCursor: true },
        cliProgress.Presets.shades_classic,
      );
      bar.start(facts, 0, { scope });
      bar.update(0, { scope });
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}
