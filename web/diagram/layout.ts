/**
 * Vertical layout of the ladder. Rows are positioned in layout units (before zoom); the zoom
 * transform maps them to the screen as y * k + ty. Pure, so it is tested without a DOM.
 */
export interface RowLayout {
  /** The y of each row's arrow, increasing. */
  y: number[];
  /** The total height. */
  height: number;
  /** Compressed gaps (time mode): drawn at y, standing for gapMs of silence. */
  breaks: { y: number; gapMs: number }[];
  /** Time-mode segments (between breaks) as piecewise-linear time -> y knots, for the axis. */
  segments: { t0: number; t1: number; y0: number; y1: number }[];
}

export const ROW_HEIGHT = 30;
export const TOP = 18;

export function sequenceLayout(count: number, rowHeight = ROW_HEIGHT): RowLayout {
  const y = Array.from({ length: count }, (_, i) => TOP + i * rowHeight);
  return { y, height: TOP * 2 + count * rowHeight, breaks: [], segments: [] };
}

export interface TimeLayoutOptions {
  /** Pixels per millisecond within a segment. */
  pxPerMs: number;
  /** Rows never come closer than this, so simultaneous messages stay legible. */
  minSpacing: number;
  /** A gap longer than this is compressed to breakHeight and marked. */
  breakMs: number;
  breakHeight: number;
}

export const TIME_DEFAULTS: TimeLayoutOptions = {
  pxPerMs: 0.2,
  minSpacing: 26,
  breakMs: 2000,
  breakHeight: 44,
};

/**
 * Proportional to time, except that rows keep a minimum spacing and gaps longer than breakMs
 * are compressed (and listed as breaks). Rows without a time follow the previous row.
 */
export function timeLayout(times: (number | null)[], options: TimeLayoutOptions = TIME_DEFAULTS): RowLayout {
  const { pxPerMs, minSpacing, breakMs, breakHeight } = options;
  const y: number[] = [];
  const breaks: RowLayout["breaks"] = [];
  const segments: RowLayout["segments"] = [];
  let prevT: number | null = null;
  let prevY = TOP;
  let segment: RowLayout["segments"][number] | null = null;
  for (let i = 0; i < times.length; i++) {
    const t = times[i] ?? null;
    let at: number;
    if (i === 0) at = TOP;
    else if (t === null || prevT === null) at = prevY + minSpacing;
    else {
      const gap = t - prevT;
      if (gap > breakMs) {
        at = prevY + breakHeight;
        breaks.push({ y: prevY + breakHeight / 2, gapMs: gap });
        segment = null;
      } else at = prevY + Math.max(minSpacing, Math.max(0, gap) * pxPerMs);
    }
    if (t !== null) {
      if (!segment) {
        segment = { t0: t, t1: t, y0: at, y1: at };
        segments.push(segment);
      } else if (t >= segment.t1) {
        segment.t1 = t;
        segment.y1 = at;
      }
      prevT = t;
    }
    y.push(at);
    prevY = at;
  }
  return { y, height: prevY + TOP * 2, breaks, segments };
}

/** The first index whose y is >= value (y increasing). */
export function lowerBound(y: number[], value: number): number {
  let lo = 0;
  let hi = y.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((y[mid] ?? 0) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The rows [start, end) whose arrows fall in the screen band [0, viewHeight], plus overscan. */
export function visibleRows(
  layout: RowLayout,
  transform: { y: number; k: number },
  viewHeight: number,
  overscan = 3,
): [number, number] {
  const top = (0 - transform.y) / transform.k;
  const bottom = (viewHeight - transform.y) / transform.k;
  const start = Math.max(0, lowerBound(layout.y, top) - overscan);
  const end = Math.min(layout.y.length, lowerBound(layout.y, bottom) + overscan);
  return [start, end];
}
