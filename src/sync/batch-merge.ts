import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { writeAtomic } from "../runtime/atomic.js";
import { type FileMergeResult, mergeFile } from "./file-merge.js";
import type { Repo } from "./repo.js";

/**
 * Batch merge. Git starts the merge driver once per file changed on both sides (~0.2 s each, mostly
 * Node start-up), so a merge of hundreds of files could outlast the run's deadline. With at least
 * `BATCH_MIN_FILES` such files, kb merges them in-process first and gives git a small shell driver
 * that copies kb's result when git's inputs are exactly the ones kb merged, and otherwise runs the
 * registered driver (renames, criss-cross bases): same bytes either way, one process less per file.
 */
export const BATCH_MIN_FILES = 8;

export interface Batch {
  /** The value for `git -c merge.kb.driver=…` during this merge. */
  driver: string;
  dir: string;
  results: Map<string, FileMergeResult>;
}

/** Encode a path as one file name (what the shell driver computes with bash substitutions). */
const encode = (path: string) => path.replace(/%/g, "%25").replace(/\//g, "%2F");

export async function prepareBatch(repo: Repo, hub: string, registered: string): Promise<Batch | null> {
  const bases = (await repo.run(["merge-base", "--all", "HEAD", hub], { allowFailure: true })).stdout
    .split("\n")
    .filter(Boolean);
  if (bases.length !== 1) return null;
  const changed = async (to: string) =>
    new Set(
      (await repo.out(["diff", "--name-only", "--no-renames", "-z", bases[0]!, to]))
        .split("\0")
        .filter(Boolean),
    );
  const theirs = await changed(hub);
  const both = [...(await changed("HEAD"))].filter(
    (p) => theirs.has(p) && !/[\n%]/.test(p) && encode(p).length < 200,
  );
  if (both.length < BATCH_MIN_FILES) return null;
  const blobs = await readBlobs(
    repo,
    both.flatMap((p) => [`${bases[0]}:${p}`, `HEAD:${p}`, `${hub}:${p}`]),
  );
  if (!blobs) return null;
  const dir = join(repo.gitDir, "kb-sync", "batch");
  if (/'/.test(dir)) return null;
  rmSync(dir, { recursive: true, force: true });
  const results = new Map<string, FileMergeResult>();
  for (const [i, path] of both.entries()) {
    const [base, ours, other] = blobs.slice(i * 3, i * 3 + 3);
    if (!ours || !other) continue; // deleted on one side: git settles it, not the driver
    const result = mergeFile(path, base ?? new Uint8Array(), ours, other);
    const name = join(dir, encode(path));
    await writeAtomic(`${name}.ours`, ours);
    await writeAtomic(`${name}.theirs`, other);
    await writeAtomic(`${name}.merged`, result.merged);
    results.set(path, result);
  }
  const fallback = registered
    .replace("%O", '"$1"')
    .replace("%A", '"$2"')
    .replace("%B", '"$3"')
    .replace("%P", '"$4"');
  await writeAtomic(
    join(dir, "driver.sh"),
    [
      "#!/bin/bash",
      "# Written by kb sync for one merge: kb's in-process result when git's inputs match, else the registered driver.",
      `k=\${4//%/%25}; k=\${k//\\//%2F}; d='${dir}'`,
      'if [ -f "$d/$k.merged" ] && cmp -s "$2" "$d/$k.ours" && cmp -s "$3" "$d/$k.theirs"; then',
      '  cat "$d/$k.merged" > "$2" && printf \'%s\\n\' "$4" >> "$d/used" && exit 0',
      "fi",
      `exec ${fallback}`,
      "",
    ].join("\n"),
  );
  return { driver: `bash '${join(dir, "driver.sh")}' %O %A %B %P`, dir, results };
}

/** The batch results git actually used (paths), then the scratch folder is removed. */
export function usedResults(batch: Batch): FileMergeResult[] {
  const log = join(batch.dir, "used");
  const used = existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean) : [];
  rmSync(batch.dir, { recursive: true, force: true });
  return [...new Set(used)]
    .map((p) => batch.results.get(p))
    .filter((r): r is FileMergeResult => r !== undefined);
}

/**
 * Blob contents for `rev:path` specs in one `git cat-file --batch` (null for a missing one). The git
 * wrapper decodes output as UTF-8, which is exact for valid UTF-8; anything else (a replacement
 * character appears) makes the batch give up, and git runs the per-file driver instead.
 */
async function readBlobs(repo: Repo, specs: string[]): Promise<(Uint8Array | null)[] | null> {
  const out = await repo.run(["cat-file", "--batch"], { input: specs.map((s) => `${s}\n`).join("") });
  if (out.stdout.includes("\uFFFD")) return null;
  const buf = Buffer.from(out.stdout, "utf8");
  const blobs: (Uint8Array | null)[] = [];
  let at = 0;
  for (let i = 0; i < specs.length; i++) {
    const nl = buf.indexOf(10, at);
    if (nl === -1) return null;
    const header = buf.subarray(at, nl).toString("latin1");
    at = nl + 1;
    if (header.endsWith(" missing")) {
      blobs.push(null);
      continue;
    }
    const match = /^[0-9a-f]+ blob (\d+)$/.exec(header);
    if (!match) return null;
    const size = Number(match[1]);
    blobs.push(buf.subarray(at, at + size));
    at += size + 1;
  }
  return blobs;
}
