import { float64, int32, uint8, RepeatInterner, StringTable } from "./columns.ts";
import type { TimeKind } from "../sources/types.ts";

export const TIME_NONE = 0;
export const TIME_UTC = 1;
export const TIME_LOCAL = 2;
export const TIME_TOD = 3;
const TIME_KIND_CODES: Record<TimeKind, number> = { utc: TIME_UTC, local: TIME_LOCAL, tod: TIME_TOD };
const TIME_KINDS: (TimeKind | null)[] = [null, "utc", "local", "tod"];

/**
 * Every log entry of every file, one column per field. Raw text is not kept: `byteStart` and
 * `byteEnd` locate it in the file, which is sliced again when a person asks for the lines.
 */
export class RecordTable {
  readonly file = int32();
  readonly firstLine = int32();
  readonly lineCount = int32();
  readonly byteStart = float64();
  readonly byteEnd = float64();
  /** As the source read it; see TimeKind. NaN when the record has no timestamp. */
  readonly rawTime = float64();
  readonly timeKind = uint8();
  /** UTC ms after the file's time base and clock offset are applied. */
  readonly time = float64();
  readonly level = int32();
  readonly thread = int32();
  readonly strings: StringTable;
  // Records of a file mostly repeat the level and thread of the one before.
  private readonly levels: RepeatInterner;
  private readonly threads: RepeatInterner;

  constructor(strings: StringTable) {
    this.strings = strings;
    this.levels = new RepeatInterner(strings);
    this.threads = new RepeatInterner(strings);
  }

  get length(): number {
    return this.file.length;
  }

  add(
    file: number,
    firstLine: number,
    lineCount: number,
    byteStart: number,
    byteEnd: number,
    rawTime: number,
    kind: TimeKind | null,
    level: string,
    thread: string,
  ): number {
    this.firstLine.push(firstLine);
    this.lineCount.push(lineCount);
    this.byteStart.push(byteStart);
    this.byteEnd.push(byteEnd);
    this.rawTime.push(rawTime);
    this.timeKind.push(kind ? TIME_KIND_CODES[kind] : TIME_NONE);
    this.time.push(NaN);
    this.level.push(this.levels.intern(level));
    this.thread.push(this.threads.intern(thread));
    return this.file.push(file);
  }

  /** Every column without its room to grow (Column.trim). */
  trim(): void {
    for (const c of [
      this.file,
      this.firstLine,
      this.lineCount,
      this.byteStart,
      this.byteEnd,
      this.rawTime,
      this.timeKind,
      this.time,
      this.level,
      this.thread,
    ])
      c.trim();
  }

  kindOf(i: number): TimeKind | null {
    return TIME_KINDS[this.timeKind.get(i)] ?? null;
  }
}
