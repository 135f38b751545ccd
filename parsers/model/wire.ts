import { isoTime, type ModelJson } from "./json.ts";

type Message = ModelJson["messages"][number];

/**
 * A window of messages as the worker sends it to the page: numbers in typed arrays (moved, not
 * copied) and each distinct string once. The structured clone of the same messages as objects
 * was most of the time the page took to pull a finished model (0.7 s at 100 000 messages, 11 s
 * at 2 million) and left a copy of every repeated string (lane, label, file name) per message.
 */
export interface MessageWire {
  /** Every string the window names, each once; the fields below index it (-1: null). */
  strings: string[];
  /** Per message, FIELDS int32s at the offsets below. */
  fields: Int32Array;
  /** Per message, its time as Unix ms (NaN: none). */
  times: Float64Array;
  /** The messages' seenBy lanes, one after the other (string indexes). */
  seenBy: Int32Array;
  /** The messages' evidence, one after the other: file (string index), line. */
  evidence: Int32Array;
}

// A message's int32s in `fields`, at these offsets.
const ID = 0;
const FROM = 1;
const TO = 2;
const LABEL = 3;
const KIND = 4;
const STATUS = 5;
const DIALOG = 6;
const USER = 7;
const PHASE = 8;
const FAILED = 9;
const SEEN_BY = 10;
const EVIDENCE = 11;
const FIELDS = 12;

/** The window's bytes to transfer with it (its arrays' buffers). */
export function wireTransfer(wire: MessageWire): ArrayBuffer[] {
  return [wire.fields.buffer, wire.times.buffer, wire.seenBy.buffer, wire.evidence.buffer] as ArrayBuffer[];
}

/**
 * `times`, when given: each message's time in Unix ms by id (Math.floor of the model's, as
 * toJson's ISO text has it; see messageTimes), so that the text is not parsed back here (a
 * tenth of the encoding's time).
 */
export function encodeMessages(messages: readonly Message[], times?: Float64Array): MessageWire {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const id = (s: string | null): number => {
    if (s === null) return -1;
    let i = index.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      index.set(s, i);
    }
    return i;
  };
  const n = messages.length;
  const fields = new Int32Array(n * FIELDS);
  const at = new Float64Array(n);
  let seenCount = 0;
  let evidenceCount = 0;
  for (const m of messages) {
    seenCount += m.seenBy.length;
    evidenceCount += m.evidence.length;
  }
  const seenBy = new Int32Array(seenCount);
  const evidence = new Int32Array(2 * evidenceCount);
  let s = 0;
  let e = 0;
  for (let k = 0; k < n; k++) {
    const m = messages[k]!;
    const f = k * FIELDS;
    fields[f + ID] = m.id;
    fields[f + FROM] = id(m.from);
    fields[f + TO] = id(m.to);
    fields[f + LABEL] = id(m.label);
    fields[f + KIND] = id(m.kind);
    fields[f + STATUS] = id(m.status);
    fields[f + DIALOG] = id(m.dialog);
    fields[f + USER] = id(m.user);
    fields[f + PHASE] = id(m.phase);
    fields[f + FAILED] = m.failed ? 1 : 0;
    fields[f + SEEN_BY] = m.seenBy.length;
    fields[f + EVIDENCE] = m.evidence.length;
    at[k] = times ? times[m.id]! : m.time === null ? NaN : Date.parse(m.time);
    for (const lane of m.seenBy) seenBy[s++] = id(lane);
    for (const ev of m.evidence) {
      evidence[e++] = id(ev.file);
      evidence[e++] = ev.line;
    }
  }
  return { strings, fields, times: at, seenBy, evidence };
}

/** The built messages' times as encodeMessages takes them: what toJson writes, as a number. */
export function messageTimes(messages: readonly { time: number }[]): Float64Array {
  // isoTime writes Math.floor of the time, and no time (NaN) as null.
  return Float64Array.from(messages, (m) => (Number.isFinite(m.time) ? Math.floor(m.time) : NaN));
}

/** The window's messages as the model's JSON has them (`toJson`), appended to `out`. */
export function decodeMessages(wire: MessageWire, out: Message[] = []): Message[] {
  const { strings, fields, times, seenBy, evidence } = wire;
  const str = (i: number): string | null => (i < 0 ? null : strings[i]!);
  // Messages logged by the same sides share one seenBy array (read only, like the whole model).
  const seenArrays = new Map<number | string, string[]>();
  let s = 0;
  let e = 0;
  for (let f = 0; f < fields.length; f += FIELDS) {
    const n = fields[f + SEEN_BY]!;
    const key = n === 1 ? seenBy[s]! : seenBy.subarray(s, s + n).join();
    let seen = seenArrays.get(key);
    if (!seen) seenArrays.set(key, (seen = Array.from(seenBy.subarray(s, s + n), (i) => strings[i]!)));
    s += n;
    const cited: { file: string; line: number }[] = [];
    for (let end = e + 2 * fields[f + EVIDENCE]!; e < end; e += 2) {
      cited.push({ file: strings[evidence[e]!]!, line: evidence[e + 1]! });
    }
    out.push({
      id: fields[f + ID]!,
      time: isoTime(times[f / FIELDS]!),
      from: strings[fields[f + FROM]!]!,
      to: strings[fields[f + TO]!]!,
      label: strings[fields[f + LABEL]!]!,
      kind: strings[fields[f + KIND]!]!,
      status: str(fields[f + STATUS]!),
      failed: fields[f + FAILED] === 1,
      dialog: str(fields[f + DIALOG]!),
      user: str(fields[f + USER]!),
      seenBy: seen,
      evidence: cited,
      phase: str(fields[f + PHASE]!),
    });
  }
  return out;
}
