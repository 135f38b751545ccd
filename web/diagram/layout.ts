import { scaleLinear, utcTickInterval } from "d3";

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
  const y: number[] = [];
  for (let i = 0; i < count; i++) y.push(TOP + i * rowHeight);
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

/** The first index i in [0, n) for which `test(i)` holds, or n (`test` false, then true). */
export function firstWhere(n: number, test: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (test(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The first index whose y is >= value (y increasing). */
export function lowerBound(y: ArrayLike<number>, value: number): number {
  return firstWhere(y.length, (i) => y[i]! >= value);
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

/**
 * The breaks [start, end) that can fall in the screen band [-margin, viewHeight + margin], one
 * more at each end (the caller tests each mark's screen y): breaks grow with the trace (1 600 in
 * a generated bundle of a million messages), and only a few are ever on screen.
 */
export function visibleBreaks(
  layout: RowLayout,
  transform: { y: number; k: number },
  viewHeight: number,
  margin = 20,
): [number, number] {
  // Breaks are pushed in row order, so their y increase like the rows'.
  const at = (value: number) => firstWhere(layout.breaks.length, (i) => layout.breaks[i]!.y >= value);
  const top = (-margin - transform.y) / transform.k;
  const bottom = (viewHeight + margin - transform.y) / transform.k;
  return [Math.max(0, at(top) - 1), Math.min(layout.breaks.length, at(bottom) + 1)];
}

/**
 * The time axis' knots (time -> layout y) of rows with a time, times strictly increasing: the
 * axis interpolates between them. Built once per layout, not per frame.
 */
export interface TimeKnots {
  t: Float64Array;
  y: Float64Array;
}

export function timeKnots(times: (number | null)[], layout: RowLayout): TimeKnots {
  const t: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < times.length; i++) {
    const v = times[i];
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    if (t.length && v <= t[t.length - 1]!) continue;
    t.push(v);
    y.push(layout.y[i] ?? 0);
  }
  return { t: Float64Array.from(t), y: Float64Array.from(y) };
}

/**
 * The knots [start, end) the screen band [top, bottom] (layout units) needs: those in it plus
 * one beyond each edge, so interpolation on screen is the same as over all knots; at least two
 * when there are two.
 */
export function knotWindow(knots: TimeKnots, top: number, bottom: number): [number, number] {
  const n = knots.y.length;
  let start = Math.max(0, lowerBound(knots.y, top) - 1);
  let end = Math.min(n, lowerBound(knots.y, bottom) + 1);
  if (end - start < 2) {
    start = Math.max(0, Math.min(start, n - 2));
    end = Math.min(n, start + 2);
  }
  return [start, end];
}

/**
 * The segments [start, end) that overlap the band [top, bottom] (layout units), found by
 * bisection: segments follow each other down the diagram without overlapping.
 */
export function visibleSegments(layout: RowLayout, top: number, bottom: number): [number, number] {
  const segs = layout.segments;
  return [
    firstWhere(segs.length, (i) => segs[i]!.y1 >= top),
    firstWhere(segs.length, (i) => segs[i]!.y0 > bottom),
  ];
}

/** How far past the screen's edges axis ticks are listed, so labels cut by an edge still show. */
export const TICK_MARGIN = 20;

/** What the time axis draws for one frame: its scale's knots on screen and the tick times. */
export interface AxisWindow {
  domain: number[];
  range: number[];
  ticks: number[];
}

/**
 * The time axis for this transform, from what is on screen only: the knots there (plus one
 * beyond each edge, so the interpolation is the one over all knots) and the ticks there. There
 * is a knot per row with a new time (most of a million rows), and a long segment zoomed in has
 * thousands of ticks: too many to list every frame, as the axis did (seconds a frame at 1M).
 * The ticks are the ones utcTicks(t0, t1, count) gives for each segment on screen, with count
 * from the segment's whole height: the same interval, listed between the screen's edges.
 */
export function timeAxisWindow(
  layout: RowLayout,
  knots: TimeKnots,
  transform: { y: number; k: number },
  viewHeight: number,
  margin = TICK_MARGIN,
): AxisWindow {
  const top = (0 - transform.y) / transform.k;
  const bottom = (viewHeight - transform.y) / transform.k;
  const [k0, k1] = knotWindow(knots, top, bottom);
  const domain = Array.from(knots.t.subarray(k0, k1));
  const range = Array.from(knots.y.subarray(k0, k1), (y) => y * transform.k + transform.y);
  const ticks: number[] = [];
  const [s0, s1] = visibleSegments(layout, top, bottom);
  if (knots.t.length > 1 && s1 > s0) {
    // Times at the band's edges: the scale is exact on screen and monotonic beyond it.
    const scale = scaleLinear().domain(domain).range(range);
    const from = scale.invert(-margin);
    const to = scale.invert(viewHeight + margin);
    for (let i = s0; i < s1; i++) {
      const s = layout.segments[i]!;
      const y0 = s.y0 * transform.k + transform.y;
      const y1 = s.y1 * transform.k + transform.y;
      if (y1 < 0 || y0 > viewHeight || s.t1 <= s.t0) continue;
      const count = Math.max(1, Math.round((y1 - y0) / 90));
      const interval = utcTickInterval(new Date(s.t0), new Date(s.t1), count);
      const a = Math.max(s.t0, from);
      const b = Math.min(s.t1, to);
      if (!interval || b < a) continue;
      // utcTicks' stop is inclusive: range() stops before its end.
      for (const d of interval.range(new Date(a), new Date(b + 1))) ticks.push(d.getTime());
    }
  }
  return { domain, range, ticks };
}
