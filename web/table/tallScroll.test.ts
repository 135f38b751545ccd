import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  MAX_BODY_HEIGHT,
  bodyHeight,
  isTall,
  offsetAt,
  rowWindow,
  scale,
  scrollTopFor,
  type RowList,
} from "./tallScroll.ts";

const ROW = 26;
const VIEWPORT = 580;
const list = (count: number, viewport = VIEWPORT): RowList => ({ count, rowHeight: ROW, viewport });
/** The browser's furthest scroll position: the body's height less the viewport. */
const maxScroll = (l: RowList) => bodyHeight(l.count, l.rowHeight) - l.viewport;
/** The rows seen whole at a scroll position. */
function whole(scrollTop: number, l: RowList): [number, number] {
  const offset = offsetAt(scrollTop, l);
  return [Math.ceil(offset / ROW), Math.floor((offset + l.viewport) / ROW) - 1];
}
function shownWhole(index: number, scrollTop: number, l: RowList): boolean {
  const [first, last] = whole(scrollTop, l);
  return index >= first && index <= last;
}

describe("tallScroll", () => {
  it("caps the body well under Firefox's limit, the lowest of the engines", () => {
    expect(MAX_BODY_HEIGHT).toBeLessThan(17_895_697 / 2);
    expect(bodyHeight(2_000_000, ROW)).toBe(MAX_BODY_HEIGHT);
    expect(bodyHeight(10_000, ROW)).toBe(260_000);
    expect(isTall(2_000_000, ROW)).toBe(true);
    expect(isTall(Math.floor(MAX_BODY_HEIGHT / ROW), ROW)).toBe(false);
  });

  it("is the identity at or below the cap", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: Math.floor(MAX_BODY_HEIGHT / ROW) }),
        fc.integer({ min: 0, max: 2000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (count, viewport, at) => {
          const l = list(count, viewport);
          const top = Math.floor(Math.max(0, maxScroll(l)) * at);
          expect(scale(l)).toBe(1);
          expect(offsetAt(top, l)).toBe(top);
          expect(bodyHeight(count, ROW)).toBe(count * ROW);
        },
      ),
    );
  });

  it("below the cap, scrolls to a row as the virtualizer's align auto does", () => {
    const l = list(10_000);
    expect(scrollTopFor(100, 100 * ROW - 10, l)).toBe(100 * ROW - 10); // in view: no move
    expect(scrollTopFor(100, 200 * ROW, l)).toBe(100 * ROW); // above: to the top
    expect(scrollTopFor(100, 0, l)).toBe(101 * ROW - VIEWPORT); // below: to the bottom
    expect(scrollTopFor(9_999, 0, l)).toBe(maxScroll(l));
  });

  for (const count of [2_000_000, 10_000_000]) {
    it(`reaches the first and the last of ${count} rows`, () => {
      const l = list(count);
      const start = rowWindow(0, l, 4);
      expect(start).toEqual({ first: 0, last: Math.ceil(VIEWPORT / ROW) - 1 + 4, offset: 0 });
      const end = rowWindow(maxScroll(l), l, 4);
      expect(end.last).toBe(count - 1);
      // The last row's bottom is the viewport's bottom: nothing past it, no gap under it.
      expect(count * ROW - end.offset).toBe(VIEWPORT);
      expect(whole(maxScroll(l), l)[1]).toBe(count - 1);
      // Past the end (a bounce, a stale position) it stays at the end.
      expect(offsetAt(maxScroll(l) + 500, l)).toBe(end.offset);
    });

    it(`shows every one of ${count} rows whole at some scroll position, px by px`, () => {
      // Every px of the 8 million of scrolling (expect() per step would take minutes).
      const l = list(count);
      let [, lastSeen] = whole(0, l);
      let offset = 0;
      for (let top = 1; top <= maxScroll(l); top++) {
        const next = offsetAt(top, l);
        if (next < offset) throw new Error(`the offset goes back at ${top}`);
        const [first, last] = whole(top, l);
        // No row skipped between one px of scrolling and the next.
        if (first > lastSeen + 1) throw new Error(`rows ${lastSeen + 1}..${first - 1} skipped at ${top}`);
        lastSeen = Math.max(lastSeen, last);
        offset = next;
      }
      expect(lastSeen).toBe(count - 1);
    });
  }

  it("maps scroll positions to rows monotonically, and the drawn rows cover the viewport", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20_000_000 }),
        fc.integer({ min: 60, max: 2000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (count, viewport, a, b) => {
          const l = list(count, viewport);
          const [lo, hi] = [a, b]
            .sort((x, y) => x - y)
            .map((f) => Math.round(f! * Math.max(0, maxScroll(l))));
          expect(offsetAt(lo!, l)).toBeLessThanOrEqual(offsetAt(hi!, l));
          const w = rowWindow(lo!, l, 0);
          if (count * ROW <= viewport) return;
          expect(w.first * ROW - w.offset).toBeLessThanOrEqual(0);
          expect((w.last + 1) * ROW - w.offset).toBeGreaterThanOrEqual(viewport);
        },
      ),
    );
  });

  it("scrolls a row into view whole, from anywhere, at any count", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 100, max: 2000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (count, viewport, at, from) => {
          const l = list(count, viewport);
          const index = Math.min(count - 1, Math.floor(at * count));
          const start = Math.round(from * Math.max(0, maxScroll(l)));
          const to = scrollTopFor(index, start, l);
          expect(Number.isInteger(to)).toBe(true);
          expect(to).toBeGreaterThanOrEqual(0);
          expect(to).toBeLessThanOrEqual(Math.max(0, maxScroll(l)));
          if (count * ROW >= viewport) expect(shownWhole(index, to, l)).toBe(true);
          if (shownWhole(index, start, l)) expect(to).toBe(start);
        },
      ),
    );
  });

  it("j/k from the last row walk the selection a row at a time at 2 million rows", () => {
    const l = list(2_000_000);
    let top = scrollTopFor(l.count - 1, 0, l);
    expect(top).toBe(maxScroll(l));
    for (let i = l.count - 2; i > l.count - 200; i--) {
      const next = scrollTopFor(i, top, l);
      expect(shownWhole(i, next, l)).toBe(true);
      // Up a row moves up at most a row's worth of scrolling.
      expect(top - next).toBeLessThanOrEqual(Math.ceil(ROW / scale(l)));
      top = next;
    }
  });
});
