import { readFileSync } from "node:fs";
import { LineCounter, parseDocument } from "yaml";

/**
 * A function that turns a config key such as `schedule.sync` or `dedup.scopes.2.at` into
 * `FILE:LINE` for error messages (just `FILE` when the key is not written in the file, e.g. a
 * default). Keys that do not come from the config (the job registry) get null.
 */
export function configKeyLocator(file: string | null): (key: string) => string | null {
  if (!file) return () => null;
  let located: ((path: string[]) => number | null) | undefined;
  return (key) => {
    if (!/^(schedule|dedup)\./.test(key)) return null;
    located ??= lineFinder(readFileSync(file, "utf8"));
    const line = located(key.split("."));
    return line === null ? file : `${file}:${line}`;
  };
}

function lineFinder(text: string): (path: string[]) => number | null {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  return (path) => {
    const node = doc.getIn(
      path.map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
      true,
    ) as { range?: [number, number, number] } | undefined;
    return node?.range ? lines.linePos(node.range[0]).line : null;
  };
}
