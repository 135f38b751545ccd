import { StringTable } from "./columns.ts";
import { EventTable } from "./eventTable.ts";
import type { FileInfo } from "./files.ts";
import { RecordTable } from "./records.ts";

/** Everything parsed so far. The worker owns one; the page asks it for windows. */
export class Store {
  readonly strings = new StringTable();
  readonly records = new RecordTable(this.strings);
  readonly events = new EventTable(this.strings);
  readonly files: FileInfo[] = [];

  /**
   * Every column without its room to grow: a store whose files are all read need not keep up to
   * twice the room its columns use (50 of the 147 MB a 200 MB bundle's store held). A file added
   * later grows them again.
   */
  trim(): void {
    this.strings.trim();
    this.records.trim();
    this.events.trim();
  }

  addFile(name: string, size: number): FileInfo {
    const info: FileInfo = {
      index: this.files.length,
      name,
      size,
      source: "unknown",
      confidence: 0,
      lane: null,
      host: undefined,
      encoding: null,
      lines: 0,
      records: 0,
      events: 0,
      unparsedLines: 0,
      warnings: [],
      errors: [],
      timeBase: { kind: "none", zoneMinutes: 0, zoneAssumed: false },
      clockOffsetMs: 0,
      recordStart: this.records.length,
      recordEnd: this.records.length,
    };
    this.files.push(info);
    return info;
  }
}
