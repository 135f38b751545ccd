/**
 * Which file of a drop the parse pool takes next. Files are merged into the store in drop order
 * (the model is the same as with one worker), but they need not be parsed in that order: a pool
 * that takes them in drop order starts the biggest file (the long pole: the generated 203 MiB
 * bundle's Expressway-C log is 77 MiB of it) only when it gets to it, and ends with one worker on it while the other
 * idles. So a free worker takes the biggest file not parsed yet (ties: the first in drop order),
 * and a worker is given a file only once it is free: a cancelled drop asks for no more.
 *
 * Parsed files wait in memory for their turn to be merged. That is not bounded: the store takes
 * every file in the end, and a file's columns are about what the store grows by when it is
 * merged, so waiting raises the peak by at most one file's columns in the merge's copy, far below
 * the build's peak after the last file.
 */
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

  /** The item for a free worker, now counted as running; null when all are busy or none is left. */
  next(): number | null {
    if (this.running >= this.workers) return null;
    let pick = -1;
    for (let i = 0; i < this.sizes.length; i++)
      if (!this.taken[i] && (pick < 0 || this.sizes[i]! > this.sizes[pick]!)) pick = i;
    if (pick < 0) return null;
    this.taken[pick] = true;
    this.running++;
    return pick;
  }

  /** A parse ended, parsed or failed: its worker is free. */
  done(): void {
    this.running--;
  }
}
