import type { Line, LineReceiver } from "./lines.ts";

/** One log entry: a header line and the continuation lines that belong to it. */
export interface RawRecord {
  lines: string[];
  /** 1-based number of the first line. */
  firstLine: number;
  byteStart: number;
  byteEnd: number;
  /** A line of it contains the marker its LineSplitter was given (the ingest's PII wrapper). */
  marked?: boolean;
}

export interface RecordShape {
  /** True when the line opens a new record (a timestamped header, an SDL line, ...). */
  isRecordStart(line: string): boolean;
}

/** A record longer than this is cut: a file of one header and a million prose lines must not
 * become a single string. The lines past the cut are counted as unparsed. */
export const MAX_RECORD_LINES = 20000;
export const MAX_RECORD_CHARS = 4 * 1024 * 1024;

/**
 * Groups lines into records: every line after a record start belongs to that record until the
 * next start (how multi-line HTTPMSG/SIPMSG blocks, XML bodies and stack traces are written).
 * Lines before the first start, and lines past a record's size limit, are unparsed. So every
 * line ends up in exactly one record or in `unparsedLines`.
 *
 * With `reuse`, one RawRecord and one lines array serve every record, refilled for each: the
 * sink may read the record only during its call, and keeps nothing of it but the strings (the
 * ingest: a record object and its array for each of millions of records were an eighth of what
 * a parse allocated). Without it, each record is a new object that the sink may keep.
 */
export class RecordAssembler implements LineReceiver {
  unparsedLines = 0;
  oversizedRecords = 0;
  private current: RawRecord | null = null;
  /** The record that `reuse` refills. */
  private spare: RawRecord | null = null;
  private chars = 0;
  private overflowing = false;

  constructor(
    private readonly shape: RecordShape,
    private readonly sink: (record: RawRecord) => void,
    private readonly reuse = false,
  ) {}

  /** A line as an object (a LineSink). */
  line(line: Line): void {
    this.take(line.text, line.number, line.byteStart, line.byteEnd, false);
  }

  /** A line from a LineSplitter (a LineReceiver). */
  take(text: string, number: number, byteStart: number, byteEnd: number, marked: boolean): void {
    if (this.shape.isRecordStart(text)) {
      this.flush();
      const spare = this.spare;
      if (spare === null) {
        this.current = { lines: [text], firstLine: number, byteStart, byteEnd, marked };
        if (this.reuse) this.spare = this.current;
      } else {
        // Set only when it changes: setting an array's length is a call into the runtime.
        if (spare.lines.length !== 1) spare.lines.length = 1;
        spare.lines[0] = text;
        spare.firstLine = number;
        spare.byteStart = byteStart;
        spare.byteEnd = byteEnd;
        spare.marked = marked;
        this.current = spare;
      }
      this.chars = text.length;
      this.overflowing = false;
      return;
    }
    const record = this.current;
    if (record === null || this.overflowing) {
      this.unparsedLines++;
      return;
    }
    if (record.lines.length >= MAX_RECORD_LINES || this.chars + text.length > MAX_RECORD_CHARS) {
      this.overflowing = true;
      this.oversizedRecords++;
      this.unparsedLines++;
      return;
    }
    record.lines.push(text);
    record.byteEnd = byteEnd;
    if (marked) record.marked = true;
    this.chars += text.length;
  }

  end(): void {
    this.flush();
  }

  private flush(): void {
    if (this.current) this.sink(this.current);
    this.current = null;
  }
}
