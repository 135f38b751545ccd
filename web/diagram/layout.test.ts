import { describe, expect, it } from "vitest";
import { sequenceLayout, timeLayout, visibleRows, TIME_DEFAULTS } from "./layout.ts";
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
