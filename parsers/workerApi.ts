import { buildModel, type BuildOptions, type Model } from "./model/build.ts";
import type { FileInfo } from "./model/files.ts";
import { mergeSnapshot, type FileSnapshot } from "./model/snapshot.ts";
import { parseBlob, type ReadProgress } from "./parseFile.ts";
import { expandDropped } from "./expand.ts";
import { toJson, type ModelJson } from "./model/json.ts";
import type { FileOptions } from "./model/files.ts";
import type { LaneId } from "./model/lanes.ts";
import { Store } from "./model/store.ts";
import { SOURCES } from "./sources/registry.ts";

export interface DroppedFile {
  name: string;
  blob: Blob;
  options?: FileOptions;
}

export interface Progress {
  file: string;
  index: number;
  bytesRead: number;
  size: number;
  done: boolean;
}

export interface RawLines {
  file: string;
  line: number;
  lines: string[];
}

/** Parses files elsewhere (a pool of Web Workers) and hands back their columns. */
export interface ParsePool {
  size: number;
  parse(
    name: string,
    blob: Blob,
    options: FileOptions | undefined,
    onProgress?: (p: ReadProgress) => void,
  ): Promise<FileSnapshot>;
}

/**
 * What the page may ask of the parser. The worker owns the files and the model; the page pulls
 * windows of messages and the raw lines of one message at a time. Also runs in Node (tests).
 */
export class ParserApi {
  constructor(private readonly pool?: ParsePool) {}

  private store = new Store();
  private blobs: Blob[] = [];
  /** What was dropped, so that a file can be removed or parsed again with other options. */
  private dropped: DroppedFile[] = [];
  private built: Model | null = null;
  private json: ModelJson | null = null;
  private options: BuildOptions = {};
  private cancelled = false;
  /** Calls arrive concurrently; files are ingested one after another (a store fills in order). */
  private queue: Promise<unknown> = Promise.resolve();

  private serial<T>(task: () => Promise<T> | T): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  addFiles(files: DroppedFile[], onProgress?: (p: Progress) => void): Promise<ModelJson> {
    return this.serial(() => this.ingest(files, onProgress));
  }

  /** Start again with these files only. */
  replaceFiles(files: DroppedFile[], onProgress?: (p: Progress) => void): Promise<ModelJson> {
    return this.serial(() => {
      this.clear();
      return this.ingest(files, onProgress);
    });
  }

  /** Drop one file; the others are parsed again (the store is append-only). */
  removeFile(index: number): Promise<ModelJson> {
    return this.serial(() => this.reingest(this.dropped.filter((_, i) => i !== index)));
  }

  /** Override a file's source, lane or host, and parse it again. */
  setFileOptions(index: number, options: FileOptions): Promise<ModelJson> {
    return this.serial(() =>
      this.reingest(
        this.dropped.map((f, i) => (i === index ? { ...f, options: { ...f.options, ...options } } : f)),
      ),
    );
  }

  /** Set (or with null, clear) a file's date, for time-of-day logs, and its zone in minutes east of UTC. */
  setFileTime(index: number, time: { date?: string | null; zoneMinutes?: number | null }): ModelJson {
    const dates = new Map(this.options.dates ?? []);
    const zones = new Map(this.options.zones ?? []);
    if (time.date === null) dates.delete(index);
    else if (time.date !== undefined) dates.set(index, time.date);
    if (time.zoneMinutes === null) zones.delete(index);
    else if (time.zoneMinutes !== undefined) zones.set(index, time.zoneMinutes);
    this.options = { ...this.options, dates, zones };
    return this.rebuild();
  }

  private reingest(files: DroppedFile[]): Promise<ModelJson> {
    const options = this.options;
    this.clear();
    this.options = { clockOffsets: options.clockOffsets ?? new Map() };
    return this.ingest(files);
  }

  private async ingest(dropped: DroppedFile[], onProgress?: (p: Progress) => void): Promise<ModelJson> {
    this.cancelled = false;
    const items = await expandDropped(dropped);
    const base = this.store.files.length;
    const report = (i: number, name: string, bytesRead: number, size: number, done: boolean) =>
      onProgress?.({ file: name, index: base + i, bytesRead, size, done });
    const pool = this.pool && items.filter((f) => f.kind === "file").length > 1 ? this.pool : undefined;
    // With a pool, files parse in parallel, up to one per worker ahead of the merge, and merge
    // in drop order: the same model as one worker.
    const parses: (Promise<FileSnapshot | null> | undefined)[] = [];
    let next = 0;
    const launchUpTo = (limit: number) => {
      for (; pool && next < items.length && next < limit && !this.cancelled; next++) {
        const i = next;
        const f = items[i]!;
        if (f.kind !== "file") continue;
        parses[i] = pool
          .parse(f.name, f.blob, f.options, (r) => report(i, f.name, r.bytesRead, r.size, false))
          .catch(() => null);
      }
    };
    launchUpTo(pool?.size ?? 0);
    for (let i = 0; i < items.length; i++) {
      const f = items[i]!;
      if (f.kind === "listed") {
        const info = this.store.addFile(f.name, f.size);
        info.warnings.push(...f.warnings);
        info.errors.push(...f.errors);
        this.dropped[info.index] = { name: f.name, blob: new Blob([]) };
        continue;
      }
      let info: FileInfo;
      if (pool) {
        const snapshot = (await parses[i]) ?? null;
        if (snapshot) info = mergeSnapshot(this.store, snapshot);
        else {
          info = this.store.addFile(f.name, f.blob.size);
          info.errors.push(this.cancelled ? "cancelled" : "the parse worker failed on this file");
        }
        launchUpTo(i + 1 + pool.size);
      } else {
        info = await parseBlob(
          this.store,
          f.name,
          f.blob,
          f.options,
          () => this.cancelled,
          (r) => report(i, f.name, r.bytesRead, r.size, false),
        );
      }
      this.blobs[info.index] = f.blob;
      this.dropped[info.index] = { name: f.name, blob: f.blob, ...(f.options ? { options: f.options } : {}) };
      report(i, f.name, f.blob.size, f.blob.size, true);
    }
    return this.rebuild();
  }

  cancel(): void {
    this.cancelled = true;
  }

  reset(): Promise<void> {
    return this.serial(() => this.clear());
  }

  private clear(): void {
    this.store = new Store();
    this.blobs = [];
    this.dropped = [];
    this.built = null;
    this.json = null;
    this.options = {};
  }

  /** Set a lane's clock offset (ms) or clear it (null) and rebuild. */
  setClockOffset(lane: LaneId, offsetMs: number | null): ModelJson {
    const offsets = new Map(this.options.clockOffsets ?? []);
    if (offsetMs === null) offsets.delete(lane);
    else offsets.set(lane, offsetMs);
    this.options = { ...this.options, clockOffsets: offsets };
    return this.rebuild();
  }

  model(): ModelJson {
    return this.json ?? this.rebuild();
  }

  /** The sources a file can be forced to, for the page's source picker. */
  sources(): { id: string; label: string }[] {
    return SOURCES.map((s) => ({ id: s.id, label: s.label }));
  }

  rows(start: number, end: number): ModelJson["messages"] {
    return this.model().messages.slice(start, end);
  }

  /** The raw records behind a message, both sides, read back from the files. */
  async raw(messageId: number): Promise<RawLines[]> {
    const model = this.built;
    const m = model?.messages[messageId];
    if (!model || !m) return [];
    const out: RawLines[] = [];
    const r = this.store.records;
    const seen = new Set<number>();
    for (const e of m.evidence) {
      if (seen.has(e.record)) continue;
      seen.add(e.record);
      const blob = this.blobs[e.file];
      const info = model.files[e.file];
      if (!blob || !info) continue;
      const bytes = await blob.slice(r.byteStart.get(e.record), r.byteEnd.get(e.record)).arrayBuffer();
      const text = new TextDecoder(info.encoding ?? "utf-8").decode(bytes);
      out.push({ file: info.name, line: r.firstLine.get(e.record), lines: text.split(/\r?\n/) });
    }
    return out;
  }

  private rebuild(): ModelJson {
    this.built = buildModel(this.store, this.options);
    this.json = toJson(this.built);
    return this.json;
  }
}
