/**
 * A ceiling for the benchmark, not a parser of the product: the record columns of an Expressway
 * log (each record's time, process name, Module and Level) filled from the file's bytes, with
 * no text decoded and no string made. A record starts at a line with an ISO 8601 header
 * ("2024-05-14T00:00:00.365-06:00 host process: ..."); other lines continue it. Its time is its
 * UTCTime attribute's when it has one, else the header's, as the parser takes it. Names are
 * interned from their bytes (ids by first sight). What a byte-level record layer could reach,
 * measured beside the floor (bench.ts, "ceilings").
 */

export interface ByteRecords {
  count: number;
  /** Per record: UTC ms from the header, and the interned ids of process, Module and Level (-1: none). */
  time: Float64Array;
  process: Int32Array;
  module: Int32Array;
  level: Int32Array;
  /** Distinct names interned. */
  names: number;
}

const LF = 10;
const QUOTE = 34;
const MODULE = bytesOf('Module="');
const UTC_TIME = bytesOf('UTCTime="');
const LEVEL = bytesOf('Level="');

function bytesOf(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

/** Names by their bytes: an open-addressed table of ids, FNV-1a over the bytes. */
class ByteNames {
  private slots = new Int32Array(1024).fill(-1);
  private readonly hash: number[] = [];
  private readonly start: number[] = [];
  private readonly length: number[] = [];

  constructor(private readonly b: Uint8Array) {}

  get size(): number {
    return this.hash.length;
  }

  intern(from: number, to: number): number {
    const b = this.b;
    let h = 0x811c9dc5 | 0;
    for (let i = from; i < to; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
    const mask = this.slots.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const id = this.slots[slot]!;
      if (id < 0) {
        const fresh = this.hash.length;
        this.hash.push(h);
        this.start.push(from);
        this.length.push(to - from);
        this.slots[slot] = fresh;
        if (fresh * 2 > mask) this.grow();
        return fresh;
      }
      if (this.hash[id] === h && this.length[id] === to - from && this.same(this.start[id]!, from, to - from))
        return id;
    }
  }

  private same(a: number, b: number, n: number): boolean {
    for (let k = 0; k < n; k++) if (this.b[a + k] !== this.b[b + k]) return false;
    return true;
  }

  private grow(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    for (let id = 0; id < this.hash.length; id++) {
      let slot = this.hash[id]! & mask;
      while (slots[slot]! >= 0) slot = (slot + 1) & mask;
      slots[slot] = id;
    }
    this.slots = slots;
  }
}

/** Where `pattern` ends in b[from, to), or -1. */
function after(b: Uint8Array, pattern: Uint8Array, from: number, to: number): number {
  const first = pattern[0]!;
  for (let i = from; i + pattern.length <= to; i++) {
    if (b[i] !== first) continue;
    let k = 1;
    while (k < pattern.length && b[i + k] === pattern[k]) k++;
    if (k === pattern.length) return i + k;
  }
  return -1;
}

function digit(b: Uint8Array, i: number): number {
  const d = b[i]! - 48;
  return d >= 0 && d <= 9 ? d : NaN;
}

function two(b: Uint8Array, i: number): number {
  return digit(b, i) * 10 + digit(b, i + 1);
}

/** The header's time, "YYYY-MM-DDTHH:MM:SS.mmm±HH:MM" at `at`, as UTC ms; NaN if it is not one. */
function headerTime(b: Uint8Array, at: number, days: Map<number, number>): number {
  if (b[at + 10] !== 84 || b[at + 19] !== 46) return NaN;
  const t = wallTime(b, at, days);
  const sign = b[at + 23];
  const offset = (two(b, at + 24) * 60 + two(b, at + 27)) * 60000;
  return sign === 43 ? t - offset : sign === 45 ? t + offset : NaN;
}

/** "YYYY-MM-DD?HH:MM:SS?mmm" at `at` (any separators after the date's): wall-clock ms as UTC. */
function wallTime(b: Uint8Array, at: number, days: Map<number, number>): number {
  if (b[at + 4] !== 45 || b[at + 7] !== 45 || b[at + 13] !== 58 || b[at + 16] !== 58) return NaN;
  const y = two(b, at) * 100 + two(b, at + 2);
  const mo = two(b, at + 5);
  const d = two(b, at + 8);
  const key = (y * 100 + mo) * 100 + d;
  let day = days.get(key);
  if (day === undefined) days.set(key, (day = Date.UTC(y, mo - 1, d)));
  return (
    day +
    ((two(b, at + 11) * 60 + two(b, at + 14)) * 60 + two(b, at + 17)) * 1000 +
    digit(b, at + 20) * 100 +
    two(b, at + 21)
  );
}

export function scanExpresswayRecords(b: Uint8Array): ByteRecords {
  let capacity = 1024;
  let time = new Float64Array(capacity);
  let process = new Int32Array(capacity);
  let module = new Int32Array(capacity);
  let level = new Int32Array(capacity);
  const names = new ByteNames(b);
  const days = new Map<number, number>();
  let count = 0;
  for (let at = 0; at < b.length;) {
    let end = b.indexOf(LF, at);
    if (end < 0) end = b.length;
    const t = end - at > 30 ? headerTime(b, at, days) : NaN;
    if (!Number.isNaN(t)) {
      if (count === capacity) {
        capacity *= 2;
        time = grown(time, new Float64Array(capacity));
        process = grown(process, new Int32Array(capacity));
        module = grown(module, new Int32Array(capacity));
        level = grown(level, new Int32Array(capacity));
      }
      // After the time and the host: the process name, up to ":" or "[".
      let i = at + 30;
      while (i < end && b[i] !== 32) i++;
      const name = ++i;
      while (i < end && b[i] !== 58 && b[i] !== 91) i++;
      const utc = after(b, UTC_TIME, i, end);
      const own = utc < 0 ? NaN : wallTime(b, utc, days);
      time[count] = Number.isNaN(own) ? t : own;
      process[count] = names.intern(name, i);
      module[count] = valueId(b, names, MODULE, i, end);
      level[count] = valueId(b, names, LEVEL, i, end);
      count++;
    }
    at = end + 1;
  }
  return { count, time, process, module, level, names: names.size };
}

function valueId(b: Uint8Array, names: ByteNames, name: Uint8Array, from: number, to: number): number {
  const start = after(b, name, from, to);
  if (start < 0) return -1;
  let end = start;
  while (end < to && b[end] !== QUOTE) end++;
  return names.intern(start, end);
}

function grown<T extends Float64Array | Int32Array>(from: T, into: T): T {
  into.set(from);
  return into;
}
