import type { LaneId } from "./lanes.ts";
import type { SourceId, TimeKind } from "../sources/types.ts";

/** How a file's timestamps map to UTC. */
export interface TimeBase {
  /** What the file's records carry: see TimeKind; `none` when no record had a time. */
  kind: TimeKind | "none";
  /** Day used for time-of-day records, YYYY-MM-DD. */
  date?: string;
  /** Where the date came from. */
  dateFrom?: "file" | "name" | "sibling" | "user" | "unknown";
  /** Minutes east of UTC of the file's wall clock (local and tod records). */
  zoneMinutes: number;
  /** True when nothing in the logs said the zone and it was estimated or assumed. */
  zoneAssumed: boolean;
}

export interface FileInfo {
  index: number;
  name: string;
  size: number;
  source: SourceId | "unknown";
  confidence: number;
  lane: LaneId | null;
  host: string | undefined;
  encoding: string | null;
  lines: number;
  records: number;
  events: number;
  unparsedLines: number;
  warnings: string[];
  errors: string[];
  timeBase: TimeBase;
  /** Estimated (or user-set) offset of this node's clock, ms; subtracted from its times. */
  clockOffsetMs: number;
  /** This file's records are [recordStart, recordEnd) in the record table. */
  recordStart: number;
  recordEnd: number;
}

export interface FileOptions {
  /** Force a source instead of detecting it. */
  source?: SourceId;
  lane?: LaneId;
  host?: string;
}
