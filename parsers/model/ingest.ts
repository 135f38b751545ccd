import { guessEncoding } from "../io/encoding.ts";
import { concatBytes } from "../io/bytes.ts";
import { LineSplitter, MAX_LINE_BYTES, type LineReceiver } from "../io/lines.ts";
import { unwrapPii } from "../io/masks.ts";
import { RecordAssembler, type RawRecord } from "../io/records.ts";
import { detectSource, sourceById } from "../sources/registry.ts";
import type { RecordParser, RecordSink, SourceDescriptor, TimeKind } from "../sources/types.ts";
import type { EventInput } from "./events.ts";
import type { FileInfo, FileOptions } from "./files.ts";
import type { Store } from "./store.ts";

/** Bytes looked at to detect the source and identify the node. */
export const HEAD_BYTES = 64 * 1024;
const MAX_WARNINGS = 50;
/** What Jabber wraps values in (see unwrapPii): the splitter marks the lines that have it. */
const PII_MARKER = "PII_CED_Exception{";
/** Lines of a file no source reads: counted by the splitter, dropped. */
const DROP: LineReceiver = { take: () => {} };

/**
 * One file on its way into the store: push slices of any size, then end(). Detection waits for
 * the first HEAD_BYTES so that the outcome does not depend on how the bytes were sliced.
 */
export class FileIngest {
  readonly info: FileInfo;
  private head: Uint8Array[] = [];
  private headLength = 0;
  private splitter: LineSplitter | null = null;
  private assembler: RecordAssembler | null = null;
  private parser: RecordParser | null = null;
  private bytes = 0;
  private finished = false;

  constructor(
    private readonly store: Store,
    name: string,
    size: number,
    private readonly options: FileOptions = {},
  ) {
    this.info = store.addFile(name, size);
  }

  push(chunk: Uint8Array): void {
    if (this.finished) return;
    this.bytes += chunk.length;
    if (this.splitter) {
      this.feed(chunk);
      return;
    }
    this.head.push(chunk);
    this.headLength += chunk.length;
    if (this.headLength >= HEAD_BYTES) this.begin();
  }

  end(): FileInfo {
    if (this.finished) return this.info;
    if (!this.splitter) this.begin();
    this.splitter?.end();
    this.assembler?.end();
    this.finished = true;
    const info = this.info;
    if (this.splitter) info.lines = this.splitter.lines;
    if (this.assembler) {
      info.unparsedLines += this.assembler.unparsedLines;
      if (this.assembler.oversizedRecords > 0)
        this.warn(`${this.assembler.oversizedRecords} record(s) were longer than the limit and were cut`);
    } else if (this.splitter) {
      info.unparsedLines = this.splitter.lines;
    }
    if (this.splitter && this.splitter.overlongLines > 0)
      this.warn(
        `${this.splitter.overlongLines} line(s) longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB: only their first MiB is read`,
      );
    info.recordEnd = this.store.records.length;
    info.records = info.recordEnd - info.recordStart;
    info.size = Math.max(info.size, this.bytes);
    if (this.bytes === 0) info.warnings.push("empty file: nothing to read");
    else if (info.source === "unknown" && !info.errors.length)
      info.warnings.push(
        "unknown format: no source recognises it; its lines are counted, not parsed (choose a source to parse it)",
      );
    return info;
  }

  /** A read error or cancellation: what was read so far stays, the file says why it stopped. */
  fail(message: string): FileInfo {
    this.info.errors.push(message);
    return this.end();
  }

  private begin(): void {
    const head = concatBytes(this.head, this.headLength);
    this.head = [];
    const guess = guessEncoding(head);
    const info = this.info;
    if (guess.binary) {
      info.errors.push("binary file: not a text log, skipped");
      this.splitter = null;
      this.finished = true;
      info.recordEnd = this.store.records.length;
      return;
    }
    const headText = new TextDecoder(guess.encoding).decode(head.subarray(guess.bomLength, HEAD_BYTES));
    let source: SourceDescriptor | undefined;
    if (this.options.source) {
      source = sourceById(this.options.source);
      info.confidence = 1;
    } else {
      const detected = detectSource(headText);
      source = detected?.source;
      info.confidence = detected?.confidence ?? 0;
    }
    info.encoding = guess.encoding;
    if (source) {
      info.source = source.id;
      let identity: ReturnType<NonNullable<SourceDescriptor["identify"]>> = {};
      try {
        identity = source.identify?.(headText, info.name) ?? {};
      } catch {
        identity = {};
      }
      info.lane = this.options.lane ?? identity.lane ?? source.lane;
      info.host = this.options.host ?? identity.host;
      if (identity.date) {
        info.timeBase.date = identity.date;
        info.timeBase.dateFrom = "file";
      }
      this.parser = source.createParser({ name: info.name, lane: info.lane ?? "unknown", host: info.host });
      this.assembler = new RecordAssembler(source, (r) => this.record(r), true);
    } else {
      info.source = "unknown";
      info.lane = this.options.lane ?? null;
      info.host = this.options.host;
    }
    this.splitter = new LineSplitter(this.assembler ?? DROP, PII_MARKER);
    const chunk = head;
    this.feed(chunk);
  }

  private feed(chunk: Uint8Array): void {
    this.splitter!.push(chunk);
  }

  // One sink per file, reset for each record: no closures or objects per record in the hot path.
  private recTime = NaN;
  private recKind: TimeKind | null = null;
  private recLevel = "";
  private recThread = "";
  private recFirstLine = 0;
  /**
   * The record's events: the first `pendingCount` of `pending`. Counted rather than emptied:
   * `length = 0` lets an array's backing store go, so that the next push made a new one for
   * every record with an event (70 MB of the 200 MiB bundle's parse).
   */
  private readonly pending: EventInput[] = [];
  private pendingCount = 0;
  private readonly sink: RecordSink = {
    time: (ms, kind) => {
      this.recTime = ms;
      this.recKind = kind;
    },
    level: (level) => {
      this.recLevel = level;
    },
    thread: (thread) => {
      this.recThread = thread;
    },
    emit: (event) => {
      this.pending[this.pendingCount++] = event;
    },
    warn: (message) => this.warn(`line ${this.recFirstLine}: ${message}`),
  };

  private record(raw: RawRecord): void {
    const store = this.store;
    const info = this.info;
    this.recTime = NaN;
    this.recKind = null;
    this.recLevel = "";
    this.recThread = "";
    this.recFirstLine = raw.firstLine;
    this.pendingCount = 0;
    try {
      // Sources read values, not Jabber's PII wrappers around them (raw.marked: a line has one).
      this.parser!(raw.marked ? { ...raw, lines: raw.lines.map(unwrapPii) } : raw, this.sink);
    } catch (err) {
      this.warn(`line ${raw.firstLine}: parser error (${(err as Error).message ?? String(err)})`);
      this.pendingCount = 0;
    }
    const index = store.records.add(
      info.index,
      raw.firstLine,
      raw.lines.length,
      raw.byteStart,
      raw.byteEnd,
      this.recTime,
      this.recKind,
      this.recLevel,
      this.recThread,
    );
    const pending = this.pending;
    const emitted = this.pendingCount;
    for (let i = 0; i < emitted; i++) store.events.add(index, pending[i]!);
    info.events += emitted;
  }

  /** A note on the file (at most MAX_WARNINGS of them are kept). */
  warn(message: string): void {
    const w = this.info.warnings;
    if (w.length < MAX_WARNINGS) w.push(message);
    else if (w.length === MAX_WARNINGS) w.push("more warnings not shown");
  }
}
