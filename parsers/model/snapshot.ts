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
  /** Each string's hash (StringTable.hashOf), so that the receiving table need not hash it. */
  stringHashes: Int32Array;
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
    stringHashes: store.strings.hashesView().slice(),
    records: take(store.records, RECORD_COLUMNS),
    events: take(store.events, EVENT_COLUMNS),
    keys: [...store.events.keys.entries()],
  };
}

export function transferablesOf(s: FileSnapshot): ArrayBuffer[] {
  return [s.stringHashes, ...Object.values(s.records), ...Object.values(s.events)].map(
    (v) => v.buffer as ArrayBuffer,
  );
}

/** Append a parsed file to a store; returns its FileInfo in that store. */
export function mergeSnapshot(target: Store, s: FileSnapshot): FileInfo {
  const info = target.addFile(s.info.name, s.info.size);
  const fileIndex = info.index;
  const recordBase = target.records.length;
  const eventBase = target.events.length;
  const hashes = s.stringHashes;
  const ids = new Int32Array(s.strings.length);
  for (let i = 0; i < ids.length; i++) ids[i] = target.strings.internHashed(s.strings[i]!, hashes[i]!);
  // Column by column, in one copy each; string ids and record indexes are rewritten in place
  // first (the snapshot's arrays were moved here and are not used again).
  const remap = (values: ArrayBufferView) => remapIds(values as Int32Array, ids);
  const n = (s.records.firstLine as Int32Array).length;
  const rc = target.records as unknown as Record<string, AnyColumn>;
  rc.file!.appendRepeated(fileIndex, n);
  for (const name of RECORD_COLUMNS) {
    const values = s.records[name] as Int32Array;
    rc[name]!.append(RECORD_STRINGS.has(name) ? remap(values) : values);
  }
  rc.time!.appendRepeated(NaN, n);
  const ec = target.events as unknown as Record<string, AnyColumn>;
  for (const name of EVENT_COLUMNS) {
    const values = s.events[name] as Int32Array;
    const shifted =
      name === "record" ? shift(values, recordBase) : EVENT_STRINGS.has(name) ? remap(values) : values;
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

/** Each string id of `v` (-1: none) as `ids` has it, in place. */
function remapIds(v: Int32Array, ids: Int32Array): Int32Array {
  for (let i = 0; i < v.length; i++) {
    const id = v[i]!;
    if (id >= 0) v[i] = ids[id]!;
  }
  return v;
}

/** `v` plus `by`, in place. */
function shift(v: Int32Array, by: number): Int32Array {
  for (let i = 0; i < v.length; i++) v[i] = v[i]! + by;
  return v;
}
