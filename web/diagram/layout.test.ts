import { describe, expect, it } from "vitest";
import { scaleLinear, utcTicks } from "d3";
import {
  sequenceLayout,
  timeAxisWindow,
  timeKnots,
  timeLayout,
  visibleBreaks,
  visibleRows,
  TIME_DEFAULTS,
  type RowLayout,
} from "./layout.ts";
import { dialogColor, statusClass } from "./colors.ts";

describe("ladder layout", () => {
  it("spaces rows evenly in sequence mode", () => {
    const l = sequenceLayout(3, 30);
    expect(l.y[1]! - l.y[0]!).toBe(30);
    expect(l.y[2]! - l.y[1]!).toBe(30);
  });

  it("is proportional in time mode, keeps a minimum spacing and compresses long gaps", () => {
    const l = timeLayout([0, 0, 500, 60_500]);
    expect(l.y[1]! - l.y[0]!).toBe(TIME_DEFAULTS.minSpacing);
    expect(l.y[2]! - l.y[1]!).toBe(500 * TIME_DEFAULTS.pxPerMs);
    expect(l.y[3]! - l.y[2]!).toBe(TIME_DEFAULTS.breakHeight);
    expect(l.breaks).toEqual([{ y: l.y[2]! + TIME_DEFAULTS.breakHeight / 2, gapMs: 60_000 }]);
    expect(l.segments).toHaveLength(2);
  });

  it("places rows without a time after the previous one", () => {
    const l = timeLayout([null, 1000, null]);
    expect(l.y).toEqual([...l.y].sort((a, b) => a - b));
  });

  it("finds the visible window from the zoom transform", () => {
    const l = sequenceLayout(1000, 30);
    const [start, end] = visibleRows(l, { y: -3000, k: 1 }, 300, 0);
    expect(start).toBeGreaterThanOrEqual(99);
    expect(end).toBeLessThanOrEqual(111);
    const [s2, e2] = visibleRows(l, { y: 0, k: 0.1 }, 300, 0);
    expect(e2 - s2).toBeGreaterThan(90);
  });
});

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Times like a trace's: bursts, pauses past the break threshold, repeats, gaps and a clock step back. */
function traceTimes(n: number, seed: number): (number | null)[] {
  const r = random(seed);
  let t = Date.UTC(2024, 4, 14, 6);
  return Array.from({ length: n }, () => {
    const p = r();
    if (p < 0.05) return null;
    if (p < 0.1) t -= 50;
    else if (p < 0.15) t += 2000 + r() * 60_000;
    else if (p > 0.3) t += Math.floor(r() * 400);
    return t;
  });
}

/** The axis as it was drawn from every row each frame: the reference for the windowed one. */
function fullAxis(times: (number | null)[], layout: RowLayout, tr: { y: number; k: number }, view: number) {
  const knots: [number, number][] = [];
  times.forEach((t, i) => {
    const last = knots[knots.length - 1];
    if (t !== null && Number.isFinite(t) && (!last || t > last[0]))
      knots.push([t, layout.y[i]! * tr.k + tr.y]);
  });
  const scale = scaleLinear()
    .domain(knots.map((k) => k[0]))
    .range(knots.map((k) => k[1]));
  const ticks: number[] = [];
  for (const s of layout.segments) {
    const y0 = s.y0 * tr.k + tr.y;
    const y1 = s.y1 * tr.k + tr.y;
    if (y1 < 0 || y0 > view || s.t1 <= s.t0) continue;
    const count = Math.max(1, Math.round((y1 - y0) / 90));
    for (const d of utcTicks(new Date(s.t0), new Date(s.t1), count)) ticks.push(d.getTime());
  }
  return { scale, ticks: knots.length > 1 ? ticks : [] };
}

describe("time axis window", () => {
  it("draws on screen the ticks, at the places, that the axis over all rows draws", () => {
    for (let seed = 1; seed <= 6; seed++) {
      const times = traceTimes(3000, seed);
      const layout = timeLayout(times);
      const knots = timeKnots(times, layout);
      const r = random(seed * 7);
      const view = 500;
      for (let step = 0; step < 30; step++) {
        const k = [0.15, 0.5, 1, 2.5, 6][step % 5]!;
        const tr = { k, y: -r() * Math.max(0, layout.height * k - view) };
        const full = fullAxis(times, layout, tr, view);
        const win = timeAxisWindow(layout, knots, tr, view);
        const scale = scaleLinear().domain(win.domain).range(win.range);
        const onScreen = full.ticks.filter((t) => full.scale(t) >= 0 && full.scale(t) <= view);
        const drawn = new Set(win.ticks);
        for (const t of onScreen) expect(drawn.has(t)).toBe(true);
        const all = new Set(full.ticks);
        for (const t of win.ticks) {
          expect(all.has(t)).toBe(true);
          const y = scale(t);
          if (y >= 0 && y <= view) expect(y).toBeCloseTo(full.scale(t), 6);
        }
      }
    }
  });

  it("finds the breaks near the screen", () => {
    const times = traceTimes(3000, 3);
    const layout = timeLayout(times);
    expect(layout.breaks.length).toBeGreaterThan(20);
    for (const k of [0.15, 1, 6]) {
      for (const y of [0, -1000, -5000, -layout.height * k + 300]) {
        const tr = { k, y };
        const [b0, b1] = visibleBreaks(layout, tr, 300);
        layout.breaks.forEach((b, i) => {
          const sy = b.y * k + y;
          if (sy >= -20 && sy <= 320) {
            expect(i).toBeGreaterThanOrEqual(b0);
            expect(i).toBeLessThan(b1);
          }
        });
      }
    }
  });
});

describe("arrow colours", () => {
  it("colours by status", () => {
    expect(statusClass({ failed: true, status: "200" })).toBe("failed");
    expect(statusClass({ failed: false, status: "404" })).toBe("failed");
    expect(statusClass({ failed: false, status: "302" })).toBe("redirect");
    expect(statusClass({ failed: false, status: "200" })).toBe("ok");
    expect(statusClass({ failed: false, status: null })).toBe("neutral");
  });

  it("gives a dialog the same colour every time", () => {
    expect(dialogColor("oauth:1771145038")).toBe(dialogColor("oauth:1771145038"));
    expect(dialogColor("oauth:1771145038")).not.toBe(dialogColor("expe:txn:2004"));
    expect(dialogColor(null)).toBe("transparent");
  });
});
