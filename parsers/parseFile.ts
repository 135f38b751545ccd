import { FileIngest } from "./model/ingest.ts";
import type { FileOptions } from "./model/files.ts";
import type { FileInfo } from "./model/files.ts";
import { snapshotFile, type FileSnapshot } from "./model/snapshot.ts";
import { Store } from "./model/store.ts";

/** Slices are read this big; the ingest is indifferent to the size. */
export const READ_SLICE = 1 << 20;

export interface ReadProgress {
  bytesRead: number;
  size: number;
}

/**
 * Read a Blob slice by slice into a store (or take its bytes, when they were read already).
 * Never throws: a read error ends up on the file. `beforeRead` runs before each slice is read,
 * with the bytes taken so far (the store then holds the records of those: a partial model of
 * a big file can be built there).
 */
export async function parseBlob(
  store: Store,
  name: string,
  blob: Blob,
  options: FileOptions | undefined,
  isCancelled: () => boolean,
  onProgress?: (p: ReadProgress) => void,
  bytes?: Uint8Array,
  beforeRead?: (bytesRead: number) => void,
): Promise<FileInfo> {
  const ingest = new FileIngest(store, name, blob.size, options);
  if (bytes && bytes.length === blob.size) {
    for (let at = 0; at < bytes.length; at += READ_SLICE) ingest.push(bytes.subarray(at, at + READ_SLICE));
    return ingest.end();
  }
  // The next slice is read while this one is parsed: a worker that waited for each read was
  // idle a tenth of the time.
  const read = (from: number) => {
    const pending = blob.slice(from, from + READ_SLICE).arrayBuffer();
    // Awaited below, unless the parse stops first (cancelled): then its failure is of no interest.
    pending.catch(() => undefined);
    return pending;
  };
  let at = 0;
  let next = blob.size > 0 ? read(0) : null;
  try {
    while (next) {
      if (isCancelled()) return ingest.fail("cancelled: only the part read so far is shown");
      if (at > 0) beforeRead?.(at);
      const slice = new Uint8Array(await next);
      if (slice.length === 0) break;
      next = at + slice.length < blob.size ? read(at + slice.length) : null;
      ingest.push(slice);
      at += slice.length;
      onProgress?.({ bytesRead: at, size: blob.size });
    }
    return ingest.end();
  } catch (err) {
    return ingest.fail(`cannot read the file: ${(err as Error).message ?? String(err)}`);
  }
}

/** A file parsed into a store of its own, as its columns: what a pool worker hands back. */
export async function parseToSnapshot(
  name: string,
  blob: Blob,
  options: FileOptions | undefined,
  isCancelled: () => boolean = () => false,
  onProgress?: (p: ReadProgress) => void,
  bytes?: Uint8Array,
): Promise<FileSnapshot> {
  const store = new Store();
  await parseBlob(store, name, blob, options, isCancelled, onProgress, bytes);
  return snapshotFile(store);
}
