import { buildModel, type BuildOptions, type Model } from "./model/build.ts";
import type { FileInfo } from "./model/files.ts";
import { mergeSnapshot, type FileSnapshot } from "./model/snapshot.ts";
import { parseBlob, parseToSnapshot, type ReadProgress } from "./parseFile.ts";
import { MessageEvidence, rawLinesOf, rawRange, type RawLines } from "./model/raw.ts";
import { compileQuery } from "./query.ts";
import { expandDropped, type DropItem } from "./expand.ts";
import { toColumns, type ModelJson } from "./model/json.ts";
import { MessageColumns, type MessageWire } from "./model/wire.ts";
import type { FileOptions } from "./model/files.ts";
import type { LaneId } from "./model/lanes.ts";
import { Store } from "./model/store.ts";
import { SOURCES } from "./sources/registry.ts";
import { PartialSchedule } from "./partials.ts";
import { POOL_MIN_BYTES, Promised, ReadAhead } from "./readAhead.ts";
import { LANE_TITLES } from "./model/lanes.ts";
import { exportLadder, type ExportFormat } from "./share/export.ts";
import { redactionPreview, type RedactionPreview } from "./share/preview.ts";
import type { RedactOptions } from "./share/redact.ts";
import {
  decodeSnapshot,
  encodeSnapshot,
  snapshotPayload,
  type SnapshotPayload,
  type SnapshotView,
} from "./share/snapshot.ts";

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

export type { RawLines } from "./model/raw.ts";

/**
 * The model without its messages and dialogs (the page pulls messages in windows): what the
 * page's panes need, small enough to clone in one go whatever the bundle's size.
 */
export type ModelSummary = Omit<ModelJson, "messages" | "dialogs"> & {
  messages: [];
  dialogs: [];
  messageCount: number;
  /** Increases with every build: a window asked of an older build is refused (null). */
  version: number;
  /**
   * Set while files are still read: this is the model of the first `filesRead` files of the drop
   * (`bytesRead` bytes), of `files` (`bytes`) in all. Null for a finished model.
   */
  partial: PartialProgress | null;
};

/**
 * The worker's time for the last model, in ms: reading the drop (parse and merge; null when the
 * model was built again without one, e.g. a clock set), the build, and the columns with the
 * knowledge pass. The build and the columns run on this worker alone, after the last file.
 */
export interface BuildTimings {
  readMs: number | null;
  buildMs: number;
  columnsMs: number;
}

export interface PartialProgress {
  filesRead: number;
  files: number;
  bytesRead: number;
  bytes: number;
}

/** A request for the table's order: sort, per-column filters and the global search. */
export interface MessageQuery {
  /** Increases with every request; the answer carries it so the page can drop stale answers. */
  requestId: number;
  sort: { column: string; desc: boolean } | null;
  filters: Record<string, string>;
  search: string;
}

export interface QueryAnswer {
  requestId: number;
  count: number;
  /** The matching message ids in the table's order. */
  ids: Int32Array;
}

type MessageJson = ModelJson["messages"][number];

/** The table's columns as the query sees them (the same text as the table's cells filter on). */
const QUERY_COLUMNS: Record<string, (m: MessageJson) => string> = {
  time: (m) => m.time ?? "",
  from: (m) => m.from,
  to: (m) => m.to,
  label: (m) => m.label,
  status: (m) => m.status ?? (m.failed ? "failed" : ""),
  dialog: (m) => m.dialog ?? "",
  user: (m) => m.user ?? "",
  file: (m) => {
    const first = m.evidence[0];
    if (!first) return "";
    return `${first.file}:${first.line}${m.evidence.length > 1 ? ` +${m.evidence.length - 1}` : ""}`;
  },
};

function laneName(lane: string): string {
  return LANE_TITLES[lane as keyof typeof LANE_TITLES] ?? lane;
}

function searchFields(m: MessageJson): string[] {
  return [
    m.time ?? "",
    m.from,
    laneName(m.from),
    m.to,
    laneName(m.to),
    m.label,
    m.kind,
    m.status ?? "",
    m.dialog ?? "",
    m.user ?? "",
    ...m.evidence.map((e) => `${e.file}:${e.line}`),
  ];
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

/** Files up to this size are read whole for a snapshot's raw lines; bigger ones record by record. */
const WHOLE_FILE_READ = 64 * 1024 * 1024;

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
  /** The shown build's evidence: the build itself is let go once its JSON is made. */
  private evidence: MessageEvidence | null = null;
  /** The model shown, its messages apart: they are kept in columns, in `messages`. */
  private json: ModelJson | null = null;
  private messages: MessageColumns | null = null;
  /** Counts builds (and opened snapshots): see ModelSummary.version. */
  private version = 0;
  private timings: BuildTimings | null = null;
  private options: BuildOptions = {};
  private cancelled = false;
  /** Gives up on the pool's parses the running ingest waits for (see cancel). */
  private abandonPool: () => void = () => undefined;
  /** The raw lines of an opened snapshot (its model is `json`; it has no files to read). */
  private snapshotRaw: Record<number, RawLines[]> | null = null;
  /** Calls arrive concurrently; files are ingested one after another (a store fills in order). */
  private queue: Promise<unknown> = Promise.resolve();

  private serial<T>(task: () => Promise<T> | T): Promise<T> {
    const run = this.queue.then(task, task);
    // Not run.catch(): the queue would hold the task's answer (a whole model) until the next.
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /**
   * Run `op` in turn, then answer from the model it left: the whole of it, or its summary. (Not
   * named `then`: an object with a then method is a thenable, and awaiting it would call it.)
   */
  private inTurn<T>(op: () => Promise<void> | void, answer: () => T): Promise<T> {
    return this.serial(async () => {
      await op();
      return answer();
    });
  }

  /**
   * Parse these files into the model. `onPartial`, when given, receives the model of the files
   * read so far while a big drop is still read (see partials.ts), so the page can show it.
   */
  addFiles(
    files: DroppedFile[],
    onProgress?: (p: Progress) => void,
    onPartial?: (s: ModelSummary) => void,
  ): Promise<ModelJson> {
    return this.inTurn(
      () => this.ingest(files, onProgress, onPartial),
      () => this.model(),
    );
  }

  /** Start again with these files only. */
  replaceFiles(
    files: DroppedFile[],
    onProgress?: (p: Progress) => void,
    onPartial?: (s: ModelSummary) => void,
  ): Promise<ModelJson> {
    return this.inTurn(
      () => this.replace(files, onProgress, onPartial),
      () => this.model(),
    );
  }

  private replace(
    files: DroppedFile[],
    onProgress?: (p: Progress) => void,
    onPartial?: (s: ModelSummary) => void,
  ) {
    this.clear();
    return this.ingest(files, onProgress, onPartial);
  }

  /** Drop one file; the others are parsed again (the store is append-only). */
  removeFile(index: number): Promise<ModelJson> {
    return this.inTurn(
      () => this.remove(index),
      () => this.model(),
    );
  }

  private remove(index: number): Promise<void> {
    return this.reingest(this.dropped.filter((_, i) => i !== index));
  }

  /** Override a file's source, lane or host, and parse it again. */
  setFileOptions(index: number, options: FileOptions): Promise<ModelJson> {
    return this.inTurn(
      () => this.override(index, options),
      () => this.model(),
    );
  }

  private override(index: number, options: FileOptions): Promise<void> {
    return this.reingest(
      this.dropped.map((f, i) => (i === index ? { ...f, options: { ...f.options, ...options } } : f)),
    );
  }

  /** Set (or with null, clear) a file's date, for time-of-day logs, and its zone in minutes east of UTC. */
  setFileTime(index: number, time: { date?: string | null; zoneMinutes?: number | null }): ModelJson {
    this.retime(index, time);
    return this.model();
  }

  private retime(index: number, time: { date?: string | null; zoneMinutes?: number | null }): void {
    const dates = new Map(this.options.dates ?? []);
    const zones = new Map(this.options.zones ?? []);
    if (time.date === null) dates.delete(index);
    else if (time.date !== undefined) dates.set(index, time.date);
    if (time.zoneMinutes === null) zones.delete(index);
    else if (time.zoneMinutes !== undefined) zones.set(index, time.zoneMinutes);
    this.options = { ...this.options, dates, zones };
    this.rebuild();
  }

  private reingest(files: DroppedFile[]): Promise<void> {
    const options = this.options;
    this.clear();
    this.options = { clockOffsets: options.clockOffsets ?? new Map() };
    return this.ingest(files);
  }

  private async ingest(
    dropped: DroppedFile[],
    onProgress?: (p: Progress) => void,
    onPartial?: (s: ModelSummary) => void,
  ): Promise<void> {
    this.cancelled = false;
    this.timings = null;
    const started = performance.now();
    const items = await expandDropped(dropped);
    const base = this.store.files.length;
    const itemBytes = items.map((f) => (f.kind === "file" ? f.blob.size : 0));
    const totalBytes = itemBytes.reduce((a, b) => a + b, 0);
    let mergedBytes = 0;
    let parsedAhead = 0;
    const schedule = onPartial ? new PartialSchedule() : null;
    let shownCount = -1;
    /**
     * Before waiting for more: show the model of what is merged so far (the first `filesRead`
     * items and `partBytes` of the next) if the rest will take a while.
     */
    const maybePartial = (filesRead: number, partBytes = 0) => {
      const bytesRead = mergedBytes + partBytes;
      if (!schedule || this.cancelled) return;
      // What is parsed already and waits for the merge comes soon: only the rest is a wait.
      if (!schedule.due(bytesRead, totalBytes - bytesRead - parsedAhead)) return;
      const started = performance.now();
      const built = buildModel(this.store, this.options);
      const shown = toColumns(built);
      schedule.built(bytesRead, performance.now() - started);
      // Nothing new to draw (say, a big file of lines no source knows): the page keeps the last.
      if (shown.messages.count === shownCount) return;
      shownCount = shown.messages.count;
      this.show(built, shown);
      onPartial?.({
        ...this.summary(),
        partial: { filesRead, files: items.length, bytesRead, bytes: totalBytes },
      });
    };
    const report = (i: number, name: string, bytesRead: number, size: number, done: boolean) =>
      onProgress?.({ file: name, index: base + i, bytesRead, size, done });
    // Small files parse here, in turn: a round trip to a pool worker costs more than they do
    // (a drop of 10 000 tiny files took 24 s through the pool, 2 s without it).
    const pooled = (f: DropItem): f is Extract<DropItem, { kind: "file" }> =>
      f.kind === "file" && f.blob.size >= POOL_MIN_BYTES;
    const pool = this.pool && items.filter(pooled).length > 1 ? this.pool : undefined;
    // The first file is read here in slices even with a pool, so that its partials put the first
    // ladder on screen while the pool parses the files after it (a pool worker returns a file
    // only when it is parsed whole: the first 42 MB file of a 1 GB drop took 1.5 s).
    const streamed = schedule ? items.findIndex((f) => f.kind === "file") : -1;
    // With a pool, files parse in parallel, biggest first (see readAhead.ts), and merge in drop
    // order: the same model as one worker. The snapshot of each file the pool may take (null:
    // failed or cancelled) is promised from the start, whoever parses it and whenever.
    const inPool = items.map((f, i) => pool !== undefined && i !== streamed && pooled(f));
    const parses = new Promised<FileSnapshot | null>(items.length, (i) => inPool[i]!);
    const ahead = new ReadAhead(
      items.map((f, i) => (inPool[i] ? (f as Extract<DropItem, { kind: "file" }>).blob.size : null)),
      pool?.size ?? 0,
    );
    const launch = (): void => {
      while (pool && !this.cancelled) {
        const i = ahead.next();
        if (i === null) return;
        const f = items[i] as Extract<DropItem, { kind: "file" }>;
        pool
          .parse(f.name, f.blob, f.options, (r) => report(i, f.name, r.bytesRead, r.size, false))
          .then((snapshot) => {
            parsedAhead += f.blob.size;
            return snapshot;
          })
          .catch(() => null)
          .then((snapshot) => {
            ahead.done();
            launch();
            parses.settle(i, snapshot);
          });
      }
      // Cancelled: the files not asked for yet are not parsed.
      if (this.cancelled) this.abandonPool();
    };
    this.abandonPool = () => {
      parses.settleAll(null);
    };
    /** Parse a file here as a pool worker would, into a store of its own, for its turn to merge. */
    const parseAside = async (j: number) => {
      const g = items[j] as Extract<DropItem, { kind: "file" }>;
      const progress = (r: ReadProgress) => report(j, g.name, r.bytesRead, r.size, false);
      const snapshot = await parseToSnapshot(
        g.name,
        g.blob,
        g.options,
        () => this.cancelled,
        progress,
        g.bytes,
      );
      parsedAhead += g.blob.size;
      parses.settle(j, snapshot);
    };
    const parseHere = (i: number, g: Extract<DropItem, { kind: "file" }>) =>
      parseBlob(
        this.store,
        g.name,
        g.blob,
        g.options,
        () => this.cancelled,
        (r) => report(i, g.name, r.bytesRead, r.size, false),
        g.bytes,
        // A big file read here (a drop of one file, or no pool) streams partials of itself.
        (bytesRead) => maybePartial(i, bytesRead),
      );
    launch();
    for (let i = 0; i < items.length; i++) {
      const f = items[i]!;
      if (f.kind === "listed") {
        const info = this.store.addFile(f.name, f.size);
        info.warnings.push(...f.warnings);
        info.errors.push(...f.errors);
        this.dropped[info.index] = { name: f.name, blob: new Blob([]) };
        continue;
      }
      maybePartial(i);
      let info: FileInfo;
      if (inPool[i] && !ahead.take(i)) {
        // Someone parses it: until it is parsed, this worker parses others, biggest first.
        while (!parses.settled(i) && !this.cancelled) {
          const j = ahead.nextHere();
          if (j === null) break;
          await parseAside(j);
        }
        const snapshot = await parses.of(i);
        if (snapshot) info = mergeSnapshot(this.store, snapshot);
        else {
          info = this.store.addFile(f.name, f.blob.size);
          info.errors.push(this.cancelled ? "cancelled" : "the parse worker failed on this file");
        }
        if (snapshot) parsedAhead -= f.blob.size;
      } else info = await parseHere(i, f as Extract<DropItem, { kind: "file" }>);
      this.blobs[info.index] = f.blob;
      this.dropped[info.index] = { name: f.name, blob: f.blob, ...(f.options ? { options: f.options } : {}) };
      report(i, f.name, f.blob.size, f.blob.size, true);
      mergedBytes += itemBytes[i]!;
    }
    // Its promises hold the snapshots merged: let them go.
    this.abandonPool = () => undefined;
    this.store.trim();
    this.rebuild(performance.now() - started);
  }

  cancel(): void {
    this.cancelled = true;
    // Not waited for: a pool worker that never answers (one that ran out of memory and died, say)
    // must not keep a cancelled drop from ending.
    this.abandonPool();
  }

  reset(): Promise<void> {
    return this.serial(() => this.clear());
  }

  private clear(): void {
    this.store = new Store();
    this.blobs = [];
    this.dropped = [];
    this.evidence = null;
    this.json = null;
    this.messages = null;
    this.options = {};
    this.snapshotRaw = null;
    this.timings = null;
  }

  /** Set a lane's clock offset (ms) or clear it (null) and rebuild. */
  setClockOffset(lane: LaneId, offsetMs: number | null): ModelJson {
    this.offset(lane, offsetMs);
    return this.model();
  }

  private offset(lane: LaneId, offsetMs: number | null): void {
    const offsets = new Map(this.options.clockOffsets ?? []);
    if (offsetMs === null) offsets.delete(lane);
    else offsets.set(lane, offsetMs);
    this.options = { ...this.options, clockOffsets: offsets };
    this.rebuild();
  }

  /** The whole model, its messages as objects: made for each call (they are kept as columns). */
  model(): ModelJson {
    const { json, messages } = this.shown();
    return { ...json, messages: messages.messages(0, messages.count) };
  }

  /** The model shown (built now if none is), and its messages. */
  private shown(): { json: ModelJson; messages: MessageColumns } {
    if (!this.json || !this.messages) this.rebuild();
    return { json: this.json!, messages: this.messages! };
  }

  /** The sources a file can be forced to, for the page's source picker. */
  sources(): { id: string; label: string }[] {
    return SOURCES.map((s) => ({ id: s.id, label: s.label }));
  }

  rows(start: number, end: number): ModelJson["messages"] {
    const { messages } = this.shown();
    return messages.messages(start, end);
  }

  /** The raw records behind a message, both sides, read back from the files. */
  async raw(messageId: number): Promise<RawLines[]> {
    if (this.snapshotRaw) return this.snapshotRaw[messageId] ?? [];
    const evidence = this.evidence;
    if (!evidence) return [];
    // Only the records' own bytes are read, not their whole files.
    const slices = new Map<string, Uint8Array>();
    for (const [file, record] of evidence.records(messageId)) {
      const blob = this.blobs[file];
      if (blob) {
        const { start, end } = rawRange(this.store, record);
        slices.set(`${file}:${start}`, new Uint8Array(await blob.slice(start, end).arrayBuffer()));
      }
    }
    const read = (file: number, start: number) => slices.get(`${file}:${start}`) ?? null;
    return rawLinesOf(this.store, evidence, [messageId], read)[messageId] ?? [];
  }

  // ---- the page's windowed view: a summary, windows of messages, the table's order ----------

  /** The model without messages and dialogs, plus the message count. */
  summary(): ModelSummary {
    const { json, messages } = this.shown();
    return {
      ...json,
      messages: [],
      dialogs: [],
      messageCount: messages.count,
      version: this.version,
      partial: null,
    };
  }

  /** Where the last model's time went (for the benchmark); null before any, or after a reset. */
  lastTimings(): BuildTimings | null {
    return this.timings;
  }

  /**
   * Messages [start, end) of the model (as `rows`, encoded for the page: decodeMessages gives
   * them back); of the build `version` when given, or null when the model was built again since
   * (a partial overtaken by the next one).
   */
  messageWindow(start: number, end: number, version?: number): MessageWire | null {
    if (version !== undefined && version !== this.version) return null;
    return this.shown().messages.window(start, end);
  }

  addFilesSummary(
    files: DroppedFile[],
    onProgress?: (p: Progress) => void,
    onPartial?: (s: ModelSummary) => void,
  ): Promise<ModelSummary> {
    return this.inTurn(
      () => this.ingest(files, onProgress, onPartial),
      () => this.summary(),
    );
  }

  replaceFilesSummary(
    files: DroppedFile[],
    onProgress?: (p: Progress) => void,
    onPartial?: (s: ModelSummary) => void,
  ): Promise<ModelSummary> {
    return this.inTurn(
      () => this.replace(files, onProgress, onPartial),
      () => this.summary(),
    );
  }

  removeFileSummary(index: number): Promise<ModelSummary> {
    return this.inTurn(
      () => this.remove(index),
      () => this.summary(),
    );
  }

  setFileOptionsSummary(index: number, options: FileOptions): Promise<ModelSummary> {
    return this.inTurn(
      () => this.override(index, options),
      () => this.summary(),
    );
  }

  setFileTimeSummary(
    index: number,
    time: { date?: string | null; zoneMinutes?: number | null },
  ): Promise<ModelSummary> {
    return this.inTurn(
      () => this.retime(index, time),
      () => this.summary(),
    );
  }

  setClockOffsetSummary(lane: LaneId, offsetMs: number | null): Promise<ModelSummary> {
    return this.inTurn(
      () => this.offset(lane, offsetMs),
      () => this.summary(),
    );
  }

  /** The table's order: the ids that pass the filters and the search, sorted. */
  query(q: MessageQuery): QueryAnswer {
    const { messages } = this.shown();
    const search = compileQuery(q.search);
    const filters = Object.entries(q.filters)
      .map(([column, value]) => [QUERY_COLUMNS[column], compileQuery(value)] as const)
      .filter((f): f is [(m: MessageJson) => string, (t: string) => boolean] => !!f[0] && !!f[1]);
    const get = q.sort ? QUERY_COLUMNS[q.sort.column] : undefined;
    let ids: number[] = [];
    const keys = new Map<number, string>();
    // Nothing to filter or sort by: every message, in order, none made into an object.
    if (!search && !filters.length && !get) for (let i = 0; i < messages.count; i++) ids.push(i);
    // Each message read from the columns as the filters ask for its fields.
    else
      for (let k = 0; k < messages.count; k++) {
        const m = messages.view(k);
        if (search && !searchFields(m).some(search)) continue;
        if (filters.some(([get, match]) => !match(get(m)))) continue;
        ids.push(m.id);
        if (get) keys.set(m.id, get(m));
      }
    if (q.sort && get) {
      const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
      const dir = q.sort.desc ? -1 : 1;
      ids = ids.sort((a, b) => dir * collator.compare(keys.get(a)!, keys.get(b)!) || a - b);
    }
    return { requestId: q.requestId, count: ids.length, ids: Int32Array.from(ids) };
  }

  // ---- sharing: snapshots (offline HTML) and exports ----------------------------------------

  /** Serve model(), rows(), raw() and query() from a snapshot's payload instead of files. */
  loadSnapshot(payload: SnapshotPayload): Promise<ModelSummary> {
    return this.serial(() => {
      this.clear();
      this.json = { ...payload.model, messages: [] };
      this.messages = MessageColumns.of(payload.model.messages);
      this.version++;
      this.snapshotRaw = payload.raw ?? {};
      return this.summary();
    });
  }

  /** A snapshot's encoded data block, decoded here (off the page's thread), then loaded. */
  async loadEncodedSnapshot(encoded: string): Promise<{
    summary: ModelSummary;
    view: SnapshotView;
    redacted: boolean;
    pseudonyms: boolean;
  }> {
    const payload = decodeSnapshot(encoded);
    const summary = await this.loadSnapshot(payload);
    return {
      summary,
      view: payload.view,
      redacted: payload.redacted ?? false,
      pseudonyms: payload.pseudonyms ?? false,
    };
  }

  /** The raw records of every message (or of these), each file read once. */
  async rawAll(ids?: Iterable<number>): Promise<Record<number, RawLines[]>> {
    if (this.snapshotRaw) {
      if (!ids) return this.snapshotRaw;
      const out: Record<number, RawLines[]> = {};
      for (const id of ids) if (this.snapshotRaw[id]) out[id] = this.snapshotRaw[id]!;
      return out;
    }
    const evidence = this.evidence;
    if (!evidence) return {};
    const wanted = [...(ids ?? Array.from({ length: evidence.count }, (_, id) => id))];
    // A file up to WHOLE_FILE_READ is read once, whole; a bigger one record by record.
    const files = new Map<number, Uint8Array>();
    const slices = new Map<string, Uint8Array>();
    for (const id of wanted)
      for (const [file, record] of evidence.records(id)) {
        const blob = this.blobs[file];
        if (!blob || files.has(file)) continue;
        if (blob.size <= WHOLE_FILE_READ) files.set(file, new Uint8Array(await blob.arrayBuffer()));
        else {
          const { start, end } = rawRange(this.store, record);
          const key = `${file}:${start}`;
          if (!slices.has(key)) slices.set(key, new Uint8Array(await blob.slice(start, end).arrayBuffer()));
        }
      }
    return rawLinesOf(
      this.store,
      evidence,
      wanted,
      (file, start, end) => files.get(file)?.subarray(start, end) ?? slices.get(`${file}:${start}`) ?? null,
    );
  }

  /** What redaction would hide in a snapshot of the open model, rule by rule. */
  async redactionPreview(): Promise<RedactionPreview> {
    return redactionPreview(this.model(), await this.rawAll());
  }

  /** A snapshot's data block (gzip + base64) of the open model, its raw lines and the view. */
  async exportSnapshot(view: SnapshotView, options: RedactOptions = {}): Promise<string> {
    return encodeSnapshot(snapshotPayload(this.model(), await this.rawAll(), view, options));
  }

  /** The ladder as Mermaid, PlantUML or CSV: these messages (all when null), redacted as asked. */
  exportText(format: ExportFormat, ids: ArrayLike<number> | null, options: RedactOptions = {}): string {
    return exportLadder(this.model(), format, {
      ...options,
      ...(ids ? { filter: new Set(Array.from(ids)) } : {}),
    });
  }

  /** `readMs`: the time the drop took to read, when this build ends one. */
  private rebuild(readMs: number | null = null): void {
    const started = performance.now();
    const built = buildModel(this.store, this.options);
    const builtAt = performance.now();
    const shown = toColumns(built);
    this.timings = { readMs, buildMs: builtAt - started, columnsMs: performance.now() - builtAt };
    this.show(built, shown);
  }

  /** This build is the model now: windows, raw lines and queries are answered from it. */
  private show(built: Model, shown: { json: ModelJson; messages: MessageColumns }): void {
    this.snapshotRaw = null;
    this.version++;
    this.evidence = new MessageEvidence(built);
    this.messages = shown.messages;
    this.json = shown.json;
  }
}
