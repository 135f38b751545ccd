import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { buildModel, type BuildOptions, type Model } from "../parsers/model/build.ts";
import { expandBytes } from "../parsers/expand.ts";
import { ingestBytes } from "../parsers/model/parseBytes.ts";
import { Store } from "../parsers/model/store.ts";
import { rawLinesOf, type RawLines } from "../parsers/model/raw.ts";

/** Files of the given paths, folders walked recursively, in a stable order. */
export function listFiles(paths: string[]): { path: string; name: string }[] {
  const out: { path: string; name: string }[] = [];
  for (const p of paths) {
    const st = statSync(p);
    if (st.isDirectory()) {
      const walk = (dir: string) => {
        for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
          a.name.localeCompare(b.name),
        )) {
          const full = join(dir, entry.name);
          if (entry.isDirectory()) walk(full);
          else if (entry.isFile()) out.push({ path: full, name: relative(p, full) });
        }
      };
      walk(p);
    } else out.push({ path: p, name: basename(p) });
  }
  return out;
}

/**
 * Parse files from disk into a store and build the model: what the CLI and the bundle tests run.
 * Archives (zip, gz, tar, tgz, nested) are expanded; their members are named by their path inside.
 */
export function loadPaths(paths: string[], options: BuildOptions = {}, chunkSize = 1 << 20): Loaded {
  const store = new Store();
  const files: FileSource[] = [];
  for (const f of listFiles(paths)) {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(readFileSync(f.path));
    } catch (err) {
      files[store.files.length] = { path: f.path };
      const info = store.addFile(f.name, 0);
      info.errors.push(`cannot read: ${(err as Error).message}`);
      continue;
    }
    const items = expandBytes(f.name, bytes);
    if (!items) {
      files[store.files.length] = { path: f.path };
      ingestBytes(store, f.name, bytes, {}, chunkSize);
      continue;
    }
    for (const item of items) {
      if (item.kind === "listed") {
        files[store.files.length] = { bytes: new Uint8Array(0) };
        const info = store.addFile(item.name, item.size);
        info.warnings.push(...item.warnings);
        info.errors.push(...item.errors);
      } else {
        files[store.files.length] = { bytes: item.bytes };
        ingestBytes(store, item.name, item.bytes, item.options ?? {}, chunkSize);
      }
    }
  }
  return { store, model: buildModel(store, options), files };
}

/** Where a file's bytes are: on disk, or in memory for an archive member. */
export type FileSource = { path: string } | { bytes: Uint8Array };

export interface Loaded {
  store: Store;
  model: Model;
  /** Where each file of the store came from, by file index. */
  files: FileSource[];
}

/**
 * The raw records behind messages (all of them by default), read back from the files by each
 * record's byte range, as the worker's `raw(id)` does from the dropped blobs.
 */
export function readRawLines(loaded: Loaded, ids?: Iterable<number>): Record<number, RawLines[]> {
  const { store, model, files } = loaded;
  const cache = new Map<number, Uint8Array | null>();
  const bytesOf = (index: number): Uint8Array | null => {
    if (!cache.has(index)) {
      const source = files[index];
      let data: Uint8Array | null = null;
      try {
        data = !source ? null : "bytes" in source ? source.bytes : new Uint8Array(readFileSync(source.path));
      } catch {
        data = null;
      }
      cache.set(index, data);
    }
    return cache.get(index) ?? null;
  };
  return rawLinesOf(
    store,
    model,
    ids ?? model.messages.map((m) => m.id),
    (file, start, end) => bytesOf(file)?.subarray(start, end) ?? null,
  );
}
