import { closeSync, openSync, readdirSync, readSync, statSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { buildModel, type BuildOptions, type Model } from "../parsers/model/build.ts";
import { expandBytes } from "../parsers/expand.ts";
import { archiveKind, DEFAULT_ARCHIVE_LIMITS } from "../parsers/io/archive.ts";
import { FileIngest } from "../parsers/model/ingest.ts";
import { snapshotFile, type FileSnapshot } from "../parsers/model/snapshot.ts";
import { Store } from "../parsers/model/store.ts";
import { MessageEvidence, rawLinesOf, type RawLines } from "../parsers/model/raw.ts";

/** A file opened for reading: the CLI's reads go through this (tests bring one that fails). */
export interface OpenedFile {
  size: number;
  /** Bytes read into `into` from `position`; 0 at the end. May throw. */
  read(into: Uint8Array, position: number): number;
  close(): void;
}

export type OpenFile = (path: string) => OpenedFile;

export const openFromDisk: OpenFile = (path) => {
  const fd = openSync(path, "r");
  return {
    size: statSync(path).size,
    read: (into, position) => readSync(fd, into, 0, into.length, position),
    close: () => closeSync(fd),
  };
};

/** What went wrong, by kind: the CLI's exit code is chosen from it. */
export interface LoadProblems {
  /** Paths (given, or found in a folder) that could not be read, with why. */
  unreadable: string[];
  /** Archives a limit (size, ratio, members, depth) kept from being expanded in full. */
  limits: string[];
}

/** Files of the given paths, folders walked recursively, in a stable order; unreadable paths apart. */
export function listFiles(paths: string[]): {
  files: { path: string; name: string }[];
  unreadable: string[];
} {
  const files: { path: string; name: string }[] = [];
  const unreadable: string[] = [];
  const walk = (root: string, dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      unreadable.push(`${dir}: ${reason(err)}`);
      return;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(root, full);
      else if (entry.isFile()) files.push({ path: full, name: relative(root, full) });
    }
  };
  for (const p of paths) {
    let directory: boolean;
    try {
      directory = statSync(p).isDirectory();
    } catch (err) {
      unreadable.push(`${p}: ${reason(err)}`);
      continue;
    }
    if (directory) walk(p, p);
    else files.push({ path: p, name: basename(p) });
  }
  return { files, unreadable };
}

function reason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e?.code
    ? `${e.code}, ${e.message.replace(/^[A-Z]+: /, "")}`
    : String((err as Error)?.message ?? err);
}

const HEAD = 8192;

/**
 * Parse files from disk into a store and build the model: what the CLI and the bundle tests run.
 * A log is streamed slice by slice (a 1 GB file is never held whole); an archive (zip, gz, tar,
 * tgz, nested) is read whole, up to the archive size limit, and its members named by their path
 * inside. A read that fails, first or midway, ends that file with a message; the others go on.
 */
export function loadPaths(
  paths: string[],
  options: BuildOptions = {},
  chunkSize = 1 << 20,
  open: OpenFile = openFromDisk,
): Loaded {
  const started = performance.now();
  const store = new Store();
  const files: FileSource[] = [];
  const listed = listFiles(paths);
  const problems: LoadProblems = { unreadable: [...listed.unreadable], limits: [] };
  for (const f of listed.files) loadFile(store, files, problems, f, chunkSize, open);
  return built({ store, files, problems }, options, started);
}

/** The files read (since `started`, a performance.now()): the model built on them. */
export function built(
  read: Pick<Loaded, "store" | "files" | "problems">,
  options: BuildOptions,
  started: number,
): Loaded {
  read.store.trim();
  const readEnd = performance.now();
  const model = buildModel(read.store, options);
  return {
    ...read,
    model,
    timings: { readMs: readEnd - started, buildMs: performance.now() - readEnd },
  };
}

/**
 * Read one listed file into the store: a log slice by slice, an archive's members each as a file.
 * Whatever goes wrong ends up on the file (its errors) and in `problems`; nothing throws.
 */
export function loadFile(
  store: Store,
  files: FileSource[],
  problems: LoadProblems,
  f: { path: string; name: string },
  chunkSize: number,
  open: OpenFile,
): void {
  let file: OpenedFile;
  try {
    file = open(f.path);
  } catch (err) {
    files[store.files.length] = { path: f.path };
    store.addFile(f.name, 0).errors.push(`cannot read: ${reason(err)}`);
    problems.unreadable.push(`${f.path}: ${reason(err)}`);
    return;
  }
  try {
    const head = new Uint8Array(Math.min(HEAD, file.size));
    const headLength = readFully(file, head, 0);
    const bytes = expandable(f.name, head.subarray(0, headLength), file);
    if (bytes === null) {
      files[store.files.length] = { path: f.path };
      streamInto(store, f.name, file, chunkSize, problems, f.path);
      return;
    }
    if (typeof bytes === "string") {
      files[store.files.length] = { path: f.path };
      store.addFile(f.name, file.size).errors.push(bytes);
      problems.limits.push(`${f.path}: ${bytes}`);
      return;
    }
    const items = expandBytes(f.name, bytes) ?? [];
    for (const item of items) {
      if (item.kind === "listed") {
        files[store.files.length] = { bytes: new Uint8Array(0) };
        const info = store.addFile(item.name, item.size);
        info.warnings.push(...item.warnings);
        info.errors.push(...item.errors);
        if (item.limitExceeded) problems.limits.push(`${f.path}: ${item.errors.join("; ")}`);
      } else {
        files[store.files.length] = { bytes: item.bytes };
        const ingest = new FileIngest(store, item.name, item.bytes.length, item.options ?? {});
        for (let at = 0; at < item.bytes.length; at += chunkSize)
          ingest.push(item.bytes.subarray(at, at + chunkSize));
        ingest.end();
      }
    }
  } catch (err) {
    // Only the head read or the archive's read can land here: the file is listed with why.
    files[store.files.length] = { path: f.path };
    store.addFile(f.name, file.size).errors.push(`cannot read: ${reason(err)}`);
    problems.unreadable.push(`${f.path}: ${reason(err)}`);
  } finally {
    file.close();
  }
}

/**
 * A listed file parsed alone into a store of its own, as its columns: what a parse thread does
 * (parallel.ts). Null when the file did not become exactly one file (it turned out to be an
 * archive, or changed since it was chosen): the caller reads it into the model itself.
 */
export function parseAlone(
  f: { path: string; name: string },
  chunkSize: number,
): { snapshot: FileSnapshot; problems: LoadProblems } | null {
  const store = new Store();
  const problems: LoadProblems = { unreadable: [], limits: [] };
  const files: FileSource[] = [];
  loadFile(store, files, problems, f, chunkSize, openFromDisk);
  if (store.files.length !== 1 || !files[0] || !("path" in files[0])) return null;
  store.trim();
  return { snapshot: snapshotFile(store), problems };
}

/**
 * The file's size when it is a log (not an archive) of at least `minBytes` that can be read,
 * else null: what may be parsed on another thread. An archive is read whole and its members each become a file; it is
 * read where the model is.
 */
export function plainLogSize(f: { path: string; name: string }, minBytes = 0): number | null {
  let file: OpenedFile | null = null;
  try {
    // The size first: a folder of 10 000 small logs is not opened twice for nothing.
    if (statSync(f.path).size < minBytes) return null;
    file = openFromDisk(f.path);
    const head = new Uint8Array(Math.min(HEAD, file.size));
    const headLength = readFully(file, head, 0);
    return archiveKind(f.name, head.subarray(0, headLength)) ? null : file.size;
  } catch {
    return null;
  } finally {
    file?.close();
  }
}

/**
 * The whole file when its head says archive; null when it is a log; over the archive size limit
 * (archives are read whole), the message saying so.
 */
function expandable(name: string, head: Uint8Array, file: OpenedFile): Uint8Array | string | null {
  if (!archiveKind(name, head)) return null;
  if (file.size > DEFAULT_ARCHIVE_LIMITS.maxTotalBytes)
    return `${name}: an archive of ${file.size} bytes, over the ${DEFAULT_ARCHIVE_LIMITS.maxTotalBytes}-byte total limit: not expanded`;
  const bytes = new Uint8Array(file.size);
  const got = readFully(file, bytes, 0);
  return got === bytes.length ? bytes : bytes.subarray(0, got);
}

function readFully(file: OpenedFile, into: Uint8Array, position: number): number {
  let got = 0;
  while (got < into.length) {
    const n = file.read(into.subarray(got), position + got);
    if (n === 0) break;
    got += n;
  }
  return got;
}

/** A log, slice by slice: what was read before a failing read stays, the file says why it stopped. */
function streamInto(
  store: Store,
  name: string,
  file: OpenedFile,
  chunkSize: number,
  problems: LoadProblems,
  path: string,
): void {
  const ingest = new FileIngest(store, name, file.size);
  let at = 0;
  try {
    for (;;) {
      // A fresh buffer each time: the ingest may keep the first slices while it detects the source.
      const slice = new Uint8Array(chunkSize);
      const n = file.read(slice, at);
      if (n === 0) break;
      ingest.push(n === chunkSize ? slice : slice.subarray(0, n));
      at += n;
    }
  } catch (err) {
    ingest.fail(`cannot read past byte ${at}: ${reason(err)}; only the part before is shown`);
    problems.unreadable.push(`${path}: ${reason(err)} at byte ${at}`);
    return;
  }
  if (at < file.size) ingest.warn(`the file shrank while it was read: ${at} of ${file.size} bytes`);
  ingest.end();
}

/** Where a file's bytes are: on disk, or in memory for an archive member. */
export type FileSource = { path: string } | { bytes: Uint8Array };

export interface Loaded {
  store: Store;
  model: Model;
  /** Where each file of the store came from, by file index. */
  files: FileSource[];
  problems: LoadProblems;
  /** ms spent reading the files into the store (parse included), and building the model. */
  timings: { readMs: number; buildMs: number };
  /** loadPathsInParallel's threads that parsed (the main thread among them) and their files. */
  parallel?: { threads: number; files: number };
}

/**
 * The raw records behind messages (all of them by default), read back from the files by each
 * record's byte range (at most MAX_RAW_BYTES each), as the worker's `raw(id)` does from the
 * dropped blobs: files on disk are read where needed, not whole.
 */
export function readRawLines(
  loaded: Loaded,
  ids?: Iterable<number>,
  open: OpenFile = openFromDisk,
): Record<number, RawLines[]> {
  const { store, model, files } = loaded;
  const opened = new Map<number, OpenedFile | null>();
  const fileOf = (index: number): OpenedFile | null => {
    if (!opened.has(index)) {
      const source = files[index];
      let file: OpenedFile | null = null;
      try {
        file = source && "path" in source ? open(source.path) : null;
      } catch {
        file = null;
      }
      opened.set(index, file);
    }
    return opened.get(index) ?? null;
  };
  try {
    return rawLinesOf(
      store,
      new MessageEvidence(model),
      ids ?? model.messages.map((m) => m.id),
      (index, start, end) => {
        const source = files[index];
        if (source && "bytes" in source) return source.bytes.subarray(start, end);
        const file = fileOf(index);
        if (!file) return null;
        try {
          const into = new Uint8Array(end - start);
          return into.subarray(0, readFully(file, into, start));
        } catch {
          return null;
        }
      },
    );
  } finally {
    for (const f of opened.values()) f?.close();
  }
}
