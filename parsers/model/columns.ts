/** Growable typed-array columns and a string table: the model keeps no object per log line. */

export class StringTable {
  private readonly ids = new Map<string, number>();
  readonly strings: string[] = [];

  intern(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(s);
      this.ids.set(s, id);
    }
    return id;
  }

  get(id: number): string {
    return this.strings[id] ?? "";
  }
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
    if (this.length === this.data.length) {
      const grown = new this.ctor(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length] = v;
    return this.length++;
  }

  get(i: number): number {
    return this.data[i]!;
  }

  set(i: number, v: number): void {
    this.data[i] = v;
  }

  /** The filled part, without copying. */
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

export const int32 = (capacity?: number) => new Column(Int32Array, capacity);
export const float64 = (capacity?: number) => new Column(Float64Array, capacity);
export const uint8 = (capacity?: number) => new Column(Uint8Array, capacity);
