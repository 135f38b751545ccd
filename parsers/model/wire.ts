import { isoTime } from "./isoTime.ts";
import type { ModelJson } from "./json.ts";

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
  return encodeEach(messages.length, (k) => messages[k]!, times);
}

/**
 * encodeMessages of `count` messages asked for one at a time (`at(k)`): none of them need be
 * held at once, so a model's messages are encoded without a list of them all as objects.
 */
export function encodeEach(count: number, at: (k: number) => Message, times?: Float64Array): MessageWire {
  const w = new WireWriter(count);
  for (let k = 0; k < count; k++) {
    const m = at(k);
    w.message(
      k,
      m,
      times ? times[m.id]! : m.time === null ? NaN : Date.parse(m.time),
      m.seenBy,
      m.evidence.length,
    );
    for (const ev of m.evidence) w.evidence(w.id(ev.file), ev.line);
  }
  return w.done();
}

/** What WireWriter reads of a message besides its time, lanes and evidence. */
interface WireFields {
  id: number;
  from: string;
  to: string;
  label: string;
  kind: string;
  status: string | null | undefined;
  failed: boolean;
  dialog: string | null;
  user: string | null | undefined;
  phase?: string | null;
}

/** A built message (model/messages.ts) as the wire reads it: its evidence by file index. */
interface BuiltMessage extends WireFields {
  seenBy: readonly string[];
  evidence: readonly { file: number; line: number }[];
}

/**
 * The model's built messages straight into columns, with `fileNames` for their evidence's file
 * indexes and `times` by id (messageTimes): what encodeEach of the JSON messages gives, without a
 * JSON object, time text and evidence list made for each message on the way.
 */
export function encodeBuilt(
  messages: readonly BuiltMessage[],
  fileNames: readonly string[],
  times: Float64Array,
): MessageWire {
  const w = new WireWriter(messages.length);
  // Each file's string, interned when first cited (as encodeEach meets it).
  const fileIds = new Int32Array(fileNames.length).fill(-1);
  for (let k = 0; k < messages.length; k++) {
    const m = messages[k]!;
    w.message(k, m, times[m.id]!, m.seenBy, m.evidence.length);
    for (const ev of m.evidence) {
      let f = fileIds[ev.file];
      if (f === undefined) f = w.id(fileNames[ev.file] ?? "?");
      else if (f < 0) f = fileIds[ev.file] = w.id(fileNames[ev.file] ?? "?");
      w.evidence(f, ev.line);
    }
  }
  return w.done();
}

/**
 * Messages written into a MessageWire one after the other: their strings, each once, in the
 * order they are met; their numbers into the columns.
 */
class WireWriter {
  private readonly strings: string[] = [];
  private readonly index = new Map<string, number>();
  /** The string ids of each seenBy list met (the lists are shared, one per pair of lanes). */
  private readonly lanes = new Map<readonly string[], number[]>();
  private readonly fields: Int32Array;
  private readonly when: Float64Array;
  // Most messages are seen by one or two sides and cite one or two records: grown if not.
  private seenBy: Int32Array;
  private evidenceAt: Int32Array;
  private s = 0;
  private e = 0;

  constructor(count: number) {
    this.fields = new Int32Array(count * FIELDS);
    this.when = new Float64Array(count);
    this.seenBy = new Int32Array(count);
    this.evidenceAt = new Int32Array(2 * count);
  }

  id(s: string | null | undefined): number {
    if (s === null || s === undefined) return -1;
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.index.set(s, i);
    }
    return i;
  }

  /** Message k's fields, time and lanes; its `evidence` entries are to follow. */
  message(k: number, m: WireFields, time: number, seenBy: readonly string[], evidence: number): void {
    const fields = this.fields;
    const f = k * FIELDS;
    fields[f + ID] = m.id;
    fields[f + FROM] = this.id(m.from);
    fields[f + TO] = this.id(m.to);
    fields[f + LABEL] = this.id(m.label);
    fields[f + KIND] = this.id(m.kind);
    fields[f + STATUS] = this.id(m.status);
    fields[f + DIALOG] = this.id(m.dialog);
    fields[f + USER] = this.id(m.user);
    fields[f + PHASE] = this.id(m.phase);
    fields[f + FAILED] = m.failed ? 1 : 0;
    fields[f + SEEN_BY] = seenBy.length;
    fields[f + EVIDENCE] = evidence;
    this.when[k] = time;
    let ids = this.lanes.get(seenBy);
    if (ids === undefined) {
      // Bounded: lists that are not shared (a decoded snapshot's) would otherwise fill it.
      if (this.lanes.size >= 4096) this.lanes.clear();
      this.lanes.set(seenBy, (ids = seenBy.map((lane) => this.id(lane))));
    }
    if (this.s + ids.length > this.seenBy.length) this.seenBy = grown(this.seenBy, this.s + ids.length);
    for (let i = 0; i < ids.length; i++) this.seenBy[this.s++] = ids[i]!;
    if (this.e + 2 * evidence > this.evidenceAt.length)
      this.evidenceAt = grown(this.evidenceAt, this.e + 2 * evidence);
  }

  evidence(file: number, line: number): void {
    this.evidenceAt[this.e++] = file;
    this.evidenceAt[this.e++] = line;
  }

  done(): MessageWire {
    return {
      strings: this.strings,
      fields: this.fields,
      times: this.when,
      seenBy: this.seenBy.slice(0, this.s),
      evidence: this.evidenceAt.slice(0, this.e),
    };
  }
}

function grown(a: Int32Array, need: number): Int32Array {
  const b = new Int32Array(Math.max(need, 2 * a.length, 16));
  b.set(a);
  return b;
}

/** The built messages' times as encodeMessages takes them: what toJson writes, as a number. */
export function messageTimes(messages: readonly { time: number }[]): Float64Array {
  // isoTime writes Math.floor of the time, and no time (NaN) as null. A loop, not
  // Float64Array.from with a map function: that path boxes each value and was ten times slower.
  const times = new Float64Array(messages.length);
  for (let i = 0; i < messages.length; i++) {
    const t = messages[i]!.time;
    times[i] = Number.isFinite(t) ? Math.floor(t) : NaN;
  }
  return times;
}

/** The window's messages as the model's JSON has them (`toJson`), appended to `out`. */
export function decodeMessages(wire: MessageWire, out: Message[] = []): Message[] {
  const w = new WindowColumns(wire);
  for (let k = 0; k < w.count; k++) out.push(w.message(k));
  return out;
}

/**
 * Where each message's runs in a flat column start: message k's are at [starts[k], starts[k + 1])
 * of it, their lengths the `at` field of each message's int32s.
 */
function runStarts(fields: Int32Array, at: number): Int32Array {
  const n = fields.length / FIELDS;
  const starts = new Int32Array(n + 1);
  for (let k = 0; k < n; k++) starts[k + 1] = starts[k]! + fields[k * FIELDS + at]!;
  return starts;
}

/** The string fields of a message's int32s in `fields`. */
const STRING_FIELDS = [FROM, TO, LABEL, KIND, STATUS, DIALOG, USER, PHASE];

/**
 * All of a model's messages in columns: what the worker keeps between the page's requests
 * (windows, the table's queries, exports) instead of an object per message. Two million
 * messages as objects were ten million objects in the worker's heap, and the collection that
 * walked them, seconds after a drop, took both cores from the page while it scrolled.
 */
export class MessageColumns {
  readonly count: number;
  private readonly wire: MessageWire;
  /** Message k's lanes are seenBy[seenStart[k] .. seenStart[k + 1]), its evidence pairs likewise. */
  private readonly seenStart: Int32Array;
  private readonly evidenceStart: Int32Array;
  private readonly reader: WindowColumns;
  /** The phase names setPhase added to the strings (a handful), by name. */
  private readonly phaseIds = new Map<string, number>();

  /** Of messages as objects (an opened snapshot's): see encodeMessages. */
  static of(messages: readonly Message[], times?: Float64Array): MessageColumns {
    return new MessageColumns(encodeMessages(messages, times));
  }

  constructor(wire: MessageWire) {
    this.wire = wire;
    this.count = wire.fields.length / FIELDS;
    this.seenStart = runStarts(this.wire.fields, SEEN_BY);
    this.evidenceStart = runStarts(this.wire.fields, EVIDENCE);
    this.reader = new WindowColumns(this.wire);
  }

  /**
   * Message k, its fields read from the columns when asked (as the page's are): for a pass over
   * every message that reads a few fields of each, such as the table's filters, which took 9 times
   * as long over messages made whole (430 against 50 ms at 400 000 messages).
   */
  view(k: number): Message {
    return new WindowMessage(this.reader, k);
  }

  /** Name message k's phase (the knowledge pass does, once the messages are in columns). */
  setPhase(k: number, phase: string | null): void {
    let i = -1;
    if (phase !== null) {
      i = this.phaseIds.get(phase) ?? -1;
      if (i < 0) this.phaseIds.set(phase, (i = this.wire.strings.push(phase) - 1));
    }
    this.wire.fields[k * FIELDS + PHASE] = i;
  }

  /**
   * Messages [start, end) as a window of their own, as encodeMessages makes it: the strings it
   * names only, and arrays of its own (they may be moved to the page).
   */
  window(start: number, end: number): MessageWire {
    const from = Math.max(0, Math.min(start, this.count));
    const to = Math.max(from, Math.min(end, this.count));
    const all = this.wire;
    const strings: string[] = [];
    const index = new Map<number, number>();
    const id = (i: number): number => {
      if (i < 0) return -1;
      let j = index.get(i);
      if (j === undefined) {
        j = strings.length;
        strings.push(all.strings[i]!);
        index.set(i, j);
      }
      return j;
    };
    const fields = all.fields.slice(from * FIELDS, to * FIELDS);
    for (let f = 0; f < fields.length; f += FIELDS) {
      for (const at of STRING_FIELDS) fields[f + at] = id(fields[f + at]!);
    }
    const seenBy = all.seenBy.slice(this.seenStart[from]!, this.seenStart[to]!);
    for (let i = 0; i < seenBy.length; i++) seenBy[i] = id(seenBy[i]!);
    const evidence = all.evidence.slice(2 * this.evidenceStart[from]!, 2 * this.evidenceStart[to]!);
    for (let i = 0; i < evidence.length; i += 2) evidence[i] = id(evidence[i]!);
    return { strings, fields, times: all.times.slice(from, to), seenBy, evidence };
  }

  /** Messages [start, end) as the model's JSON has them (toJson), appended to `out`. */
  messages(start: number, end: number, out: Message[] = []): Message[] {
    return decodeMessages(this.window(start, end), out);
  }
}

/** A window as its messages read it: where each message's lanes and evidence start. */
class WindowColumns {
  readonly count: number;
  private readonly seenStart: Int32Array;
  private readonly evidenceStart: Int32Array;
  /** Messages logged by the same sides share one seenBy array (read only, like the whole model). */
  private readonly seenArrays = new Map<number | string, string[]>();

  constructor(readonly wire: MessageWire) {
    this.count = wire.fields.length / FIELDS;
    this.seenStart = runStarts(wire.fields, SEEN_BY);
    this.evidenceStart = runStarts(wire.fields, EVIDENCE);
  }

  str(k: number, at: number): string | null {
    const i = this.wire.fields[k * FIELDS + at]!;
    return i < 0 ? null : this.wire.strings[i]!;
  }

  seenBy(k: number): string[] {
    const { seenBy, strings } = this.wire;
    const lanes = seenBy.subarray(this.seenStart[k]!, this.seenStart[k + 1]!);
    const key = lanes.length === 1 ? lanes[0]! : lanes.join();
    let seen = this.seenArrays.get(key);
    if (!seen) this.seenArrays.set(key, (seen = Array.from(lanes, (i) => strings[i]!)));
    return seen;
  }

  evidence(k: number): { file: string; line: number }[] {
    const { evidence, strings } = this.wire;
    const cited: { file: string; line: number }[] = [];
    for (let e = 2 * this.evidenceStart[k]!; e < 2 * this.evidenceStart[k + 1]!; e += 2) {
      cited.push({ file: strings[evidence[e]!]!, line: evidence[e + 1]! });
    }
    return cited;
  }

  /** Message k as a plain object, as toJson makes it. */
  message(k: number): Message {
    const { fields, times } = this.wire;
    const f = k * FIELDS;
    return {
      id: fields[f + ID]!,
      time: isoTime(times[k]!),
      from: this.str(k, FROM)!,
      to: this.str(k, TO)!,
      label: this.str(k, LABEL)!,
      kind: this.str(k, KIND)!,
      status: this.str(k, STATUS),
      failed: fields[f + FAILED] === 1,
      dialog: this.str(k, DIALOG),
      user: this.str(k, USER),
      seenBy: this.seenBy(k),
      evidence: this.evidence(k),
      phase: this.str(k, PHASE),
    };
  }
}

/**
 * A message the page holds: its fields read from its window's columns when asked, so that two
 * million messages are two million small objects, not ten million (each with its time text, its
 * evidence list and the list's entries) for the page's garbage collector to walk while the
 * table scrolls. Its time text and evidence list are made at each read (the page compares
 * neither by identity): kept, the page's search of every message's evidence when a new build
 * comes (loader.ts, carryIds) would keep one list per message again.
 */
class WindowMessage implements Message {
  constructor(
    private readonly w: WindowColumns,
    private readonly k: number,
  ) {}

  get id(): number {
    return this.w.wire.fields[this.k * FIELDS + ID]!;
  }
  get time(): string | null {
    return isoTime(this.w.wire.times[this.k]!);
  }
  get from(): string {
    return this.w.str(this.k, FROM)!;
  }
  get to(): string {
    return this.w.str(this.k, TO)!;
  }
  get label(): string {
    return this.w.str(this.k, LABEL)!;
  }
  get kind(): string {
    return this.w.str(this.k, KIND)!;
  }
  get status(): string | null {
    return this.w.str(this.k, STATUS);
  }
  get failed(): boolean {
    return this.w.wire.fields[this.k * FIELDS + FAILED] === 1;
  }
  get dialog(): string | null {
    return this.w.str(this.k, DIALOG);
  }
  get user(): string | null {
    return this.w.str(this.k, USER);
  }
  get phase(): string | null {
    return this.w.str(this.k, PHASE);
  }
  get seenBy(): string[] {
    return this.w.seenBy(this.k);
  }
  get evidence(): { file: string; line: number }[] {
    return this.w.evidence(this.k);
  }

  /** As the model's JSON has it (JSON.stringify, and the structured clone of a plain copy). */
  toJSON(): Message {
    return this.w.message(this.k);
  }
}

/**
 * The window's messages as the page keeps them (read from the window's arrays when asked; see
 * WindowMessage), appended to `out`. They read as decodeMessages's do, field for field.
 */
export function viewMessages(wire: MessageWire, out: Message[] = []): Message[] {
  const w = new WindowColumns(wire);
  for (let k = 0; k < w.count; k++) out.push(new WindowMessage(w, k));
  return out;
}
