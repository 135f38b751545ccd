import type { Column } from "./columns.ts";
import type { CorrelationKeys } from "./events.ts";
import type { FileInfo } from "./files.ts";
import { Store } from "./store.ts";

/**
 * One parsed file, as typed arrays and a string list: what a parse worker hands back. The
 * arrays are transferred, not copied; the receiving store appends them, remapping string ids.
 */
export interface FileSnapshot {
  info: FileInfo;
  strings: string[];
  records: Record<RecordColumn, ArrayBufferView>;
  events: Record<EventColumn, ArrayBufferView>;
  keys: [number, CorrelationKeys][];
}

const RECORD_COLUMNS = [
  "firstLine",
  "lineCount",
  "byteStart",
  "byteEnd",
  "rawTime",
  "timeKind",
  "level",
  "thread",
] as const;
const RECORD_STRINGS = new Set<string>(["level", "thread"]);
const EVENT_COLUMNS = [
  "record",
  "kind",
  "dir",
  "peer",
  "peerHost",
  "label",
  "status",
  "failed",
  "phase",
  "exchange",
  "match",
  "user",
  "lineOffset",
] as const;
const EVENT_STRINGS = new Set<string>([
  "kind",
  "peer",
  "peerHost",
  "label",
  "status",
  "exchange",
  "match",
  "user",
]);
type RecordColumn = (typeof RECORD_COLUMNS)[number];
type EventColumn = (typeof EVENT_COLUMNS)[number];
type AnyColumn = Column<Int32Array | Float64Array | Uint8Array>;

/** Snapshot of a store that holds exactly one file (a parse worker's). */
export function snapshotFile(store: Store): FileSnapshot {
  const info = store.files[0];
  if (!info || store.files.length !== 1) throw new Error("a snapshot holds one file");
  const take = <C extends string>(table: object, names: readonly C[]) =>
    Object.fromEntries(
      names.map((n) => [n, (table as Record<string, AnyColumn>)[n]!.view().slice()]),
    ) as unknown as Record<C, ArrayBufferView>;
  return {
    info,
    strings: store.strings.strings.slice(),
    records: take(store.records, RECORD_COLUMNS),
    events: take(store.events, EVENT_COLUMNS),
    keys: [...store.events.keys.entries()],
  };
}

export function transferablesOf(s: FileSnapshot): ArrayBuffer[] {
  return [...Object.values(s.records), ...Object.values(s.events)].map((v) => v.buffer as ArrayBuffer);
}

/** Append a parsed file to a store; returns its FileInfo in that store. */
export function mergeSnapshot(target: Store, s: FileSnapshot): FileInfo {
  const info = target.addFile(s.info.name, s.info.size);
  const fileIndex = info.index;
  const recordBase = target.records.length;
  const eventBase = target.events.length;
  const ids = Int32Array.from(s.strings, (str) => target.strings.intern(str));
  // Column by column, in one copy each; string ids and record indexes are rewritten in place
  // first (the snapshot's arrays were moved here and are not used again).
  const rebase = (values: ArrayBufferView, shift: (v: number) => number) => {
    const v = values as Int32Array;
    for (let i = 0; i < v.length; i++) v[i] = shift(v[i]!);
    return v;
  };
  const remap = (v: number) => (v < 0 ? v : ids[v]!);
  const n = (s.records.firstLine as Int32Array).length;
  const rc = target.records as unknown as Record<string, AnyColumn>;
  rc.file!.appendRepeated(fileIndex, n);
  for (const name of RECORD_COLUMNS) {
    const values = s.records[name] as Int32Array;
    rc[name]!.append(RECORD_STRINGS.has(name) ? rebase(values, remap) : values);
  }
  rc.time!.appendRepeated(NaN, n);
  const ec = target.events as unknown as Record<string, AnyColumn>;
  for (const name of EVENT_COLUMNS) {
    const values = s.events[name] as Int32Array;
    const shifted =
      name === "record"
        ? rebase(values, (v) => v + recordBase)
        : EVENT_STRINGS.has(name)
          ? rebase(values, remap)
          : values;
    ec[name]!.append(shifted);
  }
  for (const [i, keys] of s.keys) target.events.keys.set(i + eventBase, keys);
  Object.assign(info, {
    ...s.info,
    index: fileIndex,
    recordStart: recordBase,
    recordEnd: recordBase + n,
  });
  return info;
}
