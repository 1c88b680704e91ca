import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import writeFileAtomic from "write-file-atomic";

/**
 * The one way kb writes a file: temp file in the same folder, fsync, rename. A crash leaves
 * either the old bytes or the new ones, never a torn file.
 */
export async function writeAtomic(path: string, data: string | Uint8Array, mode?: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, typeof data === "string" ? data : Buffer.from(data), {
    fsync: true,
    ...(mode === undefined ? {} : { mode }),
  });
}
