/**
 * When to show the page the model of the files read so far, while the rest are still read.
 *
 * A partial model is a full build of the store as it stands (the store is append-only, so the
 * files merged so far are a prefix of the drop); it costs about what parsing those bytes cost
 * again, so partials are made only while they are cheap next to what is left to read:
 *  - before waiting for a file, if something was merged since the last partial and at least
 *    LONG_WAIT_BYTES, and at least as much as is merged, are still to read (a drop of a few
 *    small files shows its final model only, with no flicker of a half one; past half way the
 *    final one is nearer than the partials are worth);
 *  - the store holds at most PARTIAL_MAX_BYTES (beyond it, the page keeps the last partial and
 *    shows progress: pulling a big model into the page again and again slows the final one);
 *  - at least MIN_GAP_MS and GAP_FACTOR times its own build time after the last partial, which
 *    keeps the time spent on partials within about 1/GAP_FACTOR of the whole. Its build time is
 *    foretold from the last one's, per byte merged: a partial of 39 MB, a second after one of
 *    1 MiB, took 1.2 s on a core the parse pool needed.
 */
const MiB = 1024 * 1024;
export const LONG_WAIT_BYTES = 4 * MiB;
export const PARTIAL_MAX_BYTES = 64 * MiB;
const MIN_GAP_MS = 1000;
const GAP_FACTOR = 8;

export class PartialSchedule {
  private lastAt = -Infinity;
  private publishedBytes = 0;
  /** The last partial's build time per byte merged. */
  private msPerByte = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Whether to build a partial model now, with this much merged and this much still to read. */
  due(mergedBytes: number, remainingBytes: number): boolean {
    return (
      mergedBytes > this.publishedBytes &&
      mergedBytes <= PARTIAL_MAX_BYTES &&
      remainingBytes >= Math.max(LONG_WAIT_BYTES, mergedBytes) &&
      this.now() - this.lastAt >= Math.max(MIN_GAP_MS, GAP_FACTOR * this.msPerByte * mergedBytes)
    );
  }

  /** A partial of `mergedBytes` was built in `buildMs`. */
  built(mergedBytes: number, buildMs: number): void {
    this.publishedBytes = mergedBytes;
    this.lastAt = this.now();
    this.msPerByte = buildMs / Math.max(1, mergedBytes);
  }
}
