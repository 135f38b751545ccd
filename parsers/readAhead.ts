/**
 * Who parses which file of a drop: the pool's workers, and the worker that owns the model.
 * Files are merged into the store in drop order (the model is the same as with one worker), but
 * they need not be parsed in that order: a pool that takes them in drop order starts the
 * biggest file (the long pole: the generated 203 MiB bundle's Expressway-C log is 77 MiB of it)
 * only when it gets to it, and ends with one worker on it while the others idle. So:
 *  - a free pool worker takes the biggest file left (ties: the first in drop order), and is
 *    given one only once it is free, so a cancelled drop asks for no more;
 *  - the owner takes the file it is to merge next, if no one has it, and reads it straight into
 *    the store (no copy to merge); if a pool worker has it, the owner parses the biggest file
 *    left meanwhile, as one more pool worker would (`nextHere`).
 *
 * Parsed files wait in memory for their turn to be merged. That is not bounded: the store takes
 * every file in the end, and a file's columns are about what the store grows by when it is
 * merged, so what waits is what the store will hold anyway (plus, while one is merged, its
 * copy); the build after the last file needs several times that (Node's peak RSS is 3 to 5
 * times the bundle).
 */
/**
 * Files smaller than this are parsed where the model is, not sent to a pool worker (or, in the
 * CLI, a thread): the round trip costs more than they do.
 */
export const POOL_MIN_BYTES = 256 * 1024;

export class ReadAhead {
  private readonly taken: boolean[];
  private running = 0;

  /**
   * `sizes`: each item's size in drop order, or null for an item the pool does not parse (a small
   * file, or the one the owning worker reads itself).
   */
  constructor(
    private readonly sizes: readonly (number | null)[],
    private readonly workers: number,
  ) {
    this.taken = sizes.map((s) => s === null);
  }

  /** The item for a free pool worker, now counted as running; null when all are busy or none is left. */
  next(): number | null {
    if (this.running >= this.workers) return null;
    const pick = this.takeBiggest();
    if (pick !== null) this.running++;
    return pick;
  }

  /** A pool worker's parse ended, parsed or failed: the worker is free. */
  done(): void {
    this.running--;
  }

  /** Item i for the owner, unless someone has it already. */
  take(i: number): boolean {
    if (this.taken[i]) return false;
    this.taken[i] = true;
    return true;
  }

  /** The item for the owner to parse while it waits for a pool worker's; null if none is left. */
  nextHere(): number | null {
    return this.takeBiggest();
  }

  private takeBiggest(): number | null {
    let pick = -1;
    for (let i = 0; i < this.sizes.length; i++)
      if (!this.taken[i] && (pick < 0 || this.sizes[i]! > this.sizes[pick]!)) pick = i;
    if (pick < 0) return null;
    this.taken[pick] = true;
    return pick;
  }
}

/**
 * The result of each item, promised from the start and settled once by whoever produces it (a
 * pool worker, or the owner while it waits): the owner awaits the item due next in drop order,
 * and asks whether it is settled before parsing another meanwhile.
 */
export class Promised<T> {
  private readonly resolve: (((value: T) => void) | undefined)[] = [];
  private readonly done: boolean[] = [];
  private readonly promises: (Promise<T> | undefined)[];

  /** `count` items; only those `wanted` get a promise (the others are never asked for). */
  constructor(count: number, wanted: (i: number) => boolean = () => true) {
    this.promises = Array.from({ length: count }, (_, i) =>
      wanted(i) ? new Promise<T>((resolve) => (this.resolve[i] = resolve)) : undefined,
    );
  }

  /** Item i's result; later results for it are ignored. */
  settle(i: number, value: T): void {
    if (this.done[i]) return;
    this.done[i] = true;
    this.resolve[i]?.(value);
  }

  /** `value` for every item not settled yet (a cancelled drop). */
  settleAll(value: T): void {
    for (let i = 0; i < this.promises.length; i++) if (this.promises[i]) this.settle(i, value);
  }

  settled(i: number): boolean {
    return this.done[i] === true;
  }

  /** Item i's promise (it must be wanted). */
  of(i: number): Promise<T> {
    return this.promises[i]!;
  }
}
