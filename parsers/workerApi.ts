import { buildModel, type BuildOptions, type Model } from "./model/build.ts";
import { FileIngest } from "./model/ingest.ts";
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

/** Slices are read this big; the ingest is indifferent to the size. */
export const READ_SLICE = 1 << 20;

/**
 * What the page may ask of the parser. The worker owns the files and the model; the page pulls
 * windows of messages and the raw lines of one message at a time. Also runs in Node (tests).
 */
export class ParserApi {
  private store = new Store();
  private blobs: Blob[] = [];
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

  private async ingest(files: DroppedFile[], onProgress?: (p: Progress) => void): Promise<ModelJson> {
    this.cancelled = false;
    for (const f of files) {
      const ingest = new FileIngest(this.store, f.name, f.blob.size, f.options);
      this.blobs[ingest.info.index] = f.blob;
      let at = 0;
      try {
        while (at < f.blob.size) {
          if (this.cancelled) {
            ingest.fail("cancelled: only the part read so far is shown");
            break;
          }
          const slice = new Uint8Array(await f.blob.slice(at, at + READ_SLICE).arrayBuffer());
          ingest.push(slice);
          at += slice.length;
          onProgress?.({
            file: f.name,
            index: ingest.info.index,
            bytesRead: at,
            size: f.blob.size,
            done: false,
          });
          if (slice.length === 0) break;
        }
        ingest.end();
      } catch (err) {
        ingest.fail(`cannot read the file: ${(err as Error).message ?? String(err)}`);
      }
      onProgress?.({ file: f.name, index: ingest.info.index, bytesRead: at, size: f.blob.size, done: true });
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
