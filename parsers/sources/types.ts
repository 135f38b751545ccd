import type { RawRecord } from "../io/records.ts";
import type { EventInput } from "../model/events.ts";
import type { LaneId } from "../model/lanes.ts";

export type SourceId =
  | "jabber"
  | "expressway"
  | "cucm-log4j"
  | "cucm-sdl"
  | "imp-epassoap"
  | "imp-xcp"
  | "imp-sipproxy"
  | "lync-client"
  | "lync-server"
  | "generic";

/**
 * How a timestamp relates to UTC. `utc`: the log says so (Expressway UTCTime, an offset).
 * `local`: a date and time of day with no zone. `tod`: time of day only (SDL, XCP); the date
 * comes from the file's time base.
 */
export type TimeKind = "utc" | "local" | "tod";

/** What a source learns about a file from its first lines. */
export interface FileIdentity {
  host?: string;
  lane?: LaneId;
  /** A date for time-of-day logs, as YYYY-MM-DD, when the file says it. */
  date?: string;
}

export interface RecordSink {
  /** Milliseconds: since the epoch for `utc` and `local` (wall clock read as UTC), since midnight for `tod`. */
  time(ms: number, kind: TimeKind): void;
  level(level: string): void;
  thread(thread: string): void;
  emit(event: EventInput): void;
  warn(message: string): void;
}

export interface FileContext {
  name: string;
  lane: LaneId;
  host: string | undefined;
}

export type RecordParser = (record: RawRecord, sink: RecordSink) => void;

export interface SourceDescriptor {
  id: SourceId;
  label: string;
  /** The lane a file of this source belongs to, unless `identify` says otherwise; null: none can be named. */
  lane: LaneId | null;
  /** Breaks ties between sources that sniff the same confidence; higher wins. */
  priority: number;
  /** 0 = not mine, 1 = certainly mine. Decided from the text head only, never the file name. */
  sniff(head: string): number;
  isRecordStart(line: string): boolean;
  identify?(head: string, name: string): FileIdentity;
  /**
   * A parser per file, so that a source can keep per-file state (open requests, threads). The
   * ingest gives it only records whose first line passed `isRecordStart`, as read from the file:
   * a record marked as holding wrapped PII (`RawRecord.marked`) is given unwrapped, and its first
   * line may then no longer pass. The record object and its lines array are the ingest's, reused
   * for the next record (RecordAssembler's `reuse`): a parser keeps strings of it, never them.
   */
  createParser(file: FileContext): RecordParser;
}
