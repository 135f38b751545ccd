import { FileIngest } from "./ingest.ts";
import type { FileInfo, FileOptions } from "./files.ts";
import type { Store } from "./store.ts";

/** Feed a whole byte array through the ingest in slices of `chunkSize` (tests, CLI, generator). */
export function ingestBytes(
  store: Store,
  name: string,
  bytes: Uint8Array,
  options: FileOptions = {},
  chunkSize = 1 << 20,
): FileInfo {
  const ingest = new FileIngest(store, name, bytes.length, options);
  for (let at = 0; at < bytes.length; at += chunkSize) ingest.push(bytes.subarray(at, at + chunkSize));
  return ingest.end();
}
