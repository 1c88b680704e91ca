import * as zlib from "node:zlib";
import { decompress } from "fzstd";

type ZstdSync = (buf: Uint8Array) => Buffer;
/** Node ≥ 22.15 and 24 ship zstd in zlib; Node 20 does not, so fzstd (pure JS) decodes there. */
const native = (zlib as unknown as { zstdDecompressSync?: ZstdSync }).zstdDecompressSync;

/** Decompress one zstd frame (an OpenClaw compressed event or a `.jsonl.zst` archive). Throws on corrupt input. */
export function zstdDecompress(buf: Uint8Array): Buffer {
  if (native) return native(buf);
  return Buffer.from(decompress(buf));
}
