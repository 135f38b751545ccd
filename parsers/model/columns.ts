/** Growable typed-array columns and a string table: the model keeps no object per log line. */

/**
 * Interned strings: one id per distinct string, ids in order of first sight. An open-addressing
 * table of ids slotted by a hash of the characters (FNV-1a, computed here): a bundle interns
 * hundreds of thousands of distinct labels and thread ids, and a Map<string, number> that large
 * cost more (its inserts and growth, and hashing every fresh copy) than this does.
 */
export class StringTable {
  readonly strings: string[] = [];
  /** Hash of each string, by id: compared before the strings, and reused when the table grows. */
  private hashes = new Int32Array(1024);
  /** Ids by slot (-1: empty); at most half full. */
  private slots = new Int32Array(2048).fill(-1);
  private mask = 2047;

  intern(s: string): number {
    return this.internHashed(s, hashOf(s));
  }

  /**
   * intern(s), given hashOf(s): a merged file's strings come with the hashes its parse worker's
   * table computed (hashing each again was a fifth of a merge).
   */
  internHashed(s: string, h: number): number {
    const slots = this.slots;
    const mask = this.mask;
    let slot = h & mask;
    for (;;) {
      const id = slots[slot]!;
      if (id < 0) break;
      if (this.hashes[id] === h && this.strings[id] === s) return id;
      slot = (slot + 1) & mask;
    }
    const id = this.strings.length;
    this.strings.push(s);
    if (id === this.hashes.length) {
      const grown = new Int32Array(Math.max(1024, id * 2));
      grown.set(this.hashes);
      this.hashes = grown;
    }
    this.hashes[id] = h;
    slots[slot] = id;
    if ((id + 1) * 2 > mask) this.rehash();
    return id;
  }

  /** -1 for an absent or empty value, else its id. */
  optional(s: string | undefined): number {
    return s === undefined || s === "" ? -1 : this.intern(s);
  }

  get(id: number): string {
    return this.strings[id] ?? "";
  }

  /** Let go of the hash column's room past the strings there are (see Column.trim). */
  trim(): void {
    if (this.hashes.length > this.strings.length) this.hashes = this.hashes.slice(0, this.strings.length);
  }

  /** hashOf of each string, by id (a view: copy it to keep it). */
  hashesView(): Int32Array {
    return this.hashes.subarray(0, this.strings.length);
  }

  private rehash(): void {
    const size = (this.mask + 1) * 2;
    const mask = size - 1;
    const slots = new Int32Array(size).fill(-1);
    const hashes = this.hashes;
    for (let id = 0; id < this.strings.length; id++) {
      let slot = hashes[id]! & mask;
      while (slots[slot]! >= 0) slot = (slot + 1) & mask;
      slots[slot] = id;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/**
 * A StringTable's intern() that remembers the last string: for a column whose values mostly
 * repeat the one before (a file's levels and threads, the kinds and peers of its events). A
 * comparison with the last (by reference, or characters when the lengths agree) is far cheaper
 * than the table's hashing. `optional` is the table's, -1 for an absent or empty value.
 */
export class RepeatInterner {
  private last: string | null = null;
  private lastId = -1;

  constructor(private readonly strings: StringTable) {}

  intern(s: string): number {
    if (s !== this.last) {
      this.last = s;
      this.lastId = this.strings.intern(s);
    }
    return this.lastId;
  }

  optional(s: string | undefined): number {
    return s === undefined || s === "" ? -1 : this.intern(s);
  }
}

/** The table's hash of a string: FNV-1a over its UTF-16 code units. */
export function hashOf(s: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

type TypedArray = Int32Array | Float64Array | Uint8Array;
type TypedArrayCtor<T extends TypedArray> = { new (n: number): T };

export class Column<T extends TypedArray> {
  data: T;
  length = 0;

  constructor(
    private readonly ctor: TypedArrayCtor<T>,
    capacity = 1024,
  ) {
    this.data = new ctor(capacity);
  }

  push(v: number): number {
    if (this.length === this.data.length) this.grow();
    this.data[this.length] = v;
    return this.length++;
  }

  protected grow(atLeast = this.data.length + 1): void {
    const grown = new this.ctor(Math.max(atLeast, this.data.length * 2));
    grown.set(this.data);
    this.data = grown;
  }

  /** Append these values in one copy (a merged file's column). */
  append(values: ArrayLike<number>): void {
    const end = this.length + values.length;
    if (end > this.data.length) this.grow(end);
    this.data.set(values, this.length);
    this.length = end;
  }

  /** Append `count` copies of `v`. */
  appendRepeated(v: number, count: number): void {
    const end = this.length + count;
    if (end > this.data.length) this.grow(end);
    this.data.fill(v, this.length, end);
    this.length = end;
  }

  get(i: number): number {
    return this.data[i]!;
  }

  set(i: number, v: number): void {
    this.data[i] = v;
  }

  /**
   * Let go of the room past the filled part: a column grows by doubling, so up to half of its
   * buffer is room that a finished store does not need. Appending after this grows it again.
   */
  trim(): void {
    if (this.data.length > this.length) this.data = this.data.slice(0, this.length) as T;
  }

  /** The filled part, without copying. */
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

/*
 * One class per element type, each with its own copy of push/get: a single shared `push` saw
 * Int32Array, Float64Array and Uint8Array stores at one site (a polymorphic store, in the hot
 * loop of every record and event); a method of its own per type keeps each store monomorphic.
 */
class Int32Column extends Column<Int32Array> {
  constructor(capacity?: number) {
    super(Int32Array, capacity);
  }

  override push(v: number): number {
    if (this.length === this.data.length) this.grow();
    this.data[this.length] = v;
    return this.length++;
  }

  override get(i: number): number {
    return this.data[i]!;
  }
}

class Float64Column extends Column<Float64Array> {
  constructor(capacity?: number) {
    super(Float64Array, capacity);
  }

  override push(v: number): number {
    if (this.length === this.data.length) this.grow();
    this.data[this.length] = v;
    return this.length++;
  }

  override get(i: number): number {
    return this.data[i]!;
  }
}

class Uint8Column extends Column<Uint8Array> {
  constructor(capacity?: number) {
    super(Uint8Array, capacity);
  }

  override push(v: number): number {
    if (this.length === this.data.length) this.grow();
    this.data[this.length] = v;
    return this.length++;
  }

  override get(i: number): number {
    return this.data[i]!;
  }
}

export const int32 = (capacity?: number): Column<Int32Array> => new Int32Column(capacity);
export const float64 = (capacity?: number): Column<Float64Array> => new Float64Column(capacity);
export const uint8 = (capacity?: number): Column<Uint8Array> => new Uint8Column(capacity);
