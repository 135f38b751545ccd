/**
 * The message table lays its rows out in one body element, `rowHeight` px a row. Browsers stop
 * laying out an element somewhere past 17.9 million px (Firefox), 33.5 million (Chromium;
 * WebKit's limit differs again), so at 2 million rows of 26 px (52 million px) the last rows
 * could not be scrolled to. Past the cap the body stays `MAX_BODY_HEIGHT` tall and the scroll
 * position maps to the row list proportionally: the first scroll position shows the first row,
 * the last shows the last, and each px of scrolling moves `scale()` px of rows.
 *
 * `scrollTop` is the scroll box's offset into the body, `offset` the matching offset into the
 * whole row list (count * rowHeight px), `viewport` the height the rows are seen through (the
 * scroll box less its sticky header). At or below the cap the two are the same.
 */

/** Well under every engine's limit (Firefox's is the lowest, about 17.9 million px). */
export const MAX_BODY_HEIGHT = 8_000_000;

export interface RowList {
  count: number;
  rowHeight: number;
  viewport: number;
}

export function isTall(count: number, rowHeight: number): boolean {
  return count * rowHeight > MAX_BODY_HEIGHT;
}

/** The height the row body is laid out at. */
export function bodyHeight(count: number, rowHeight: number): number {
  return Math.min(count * rowHeight, MAX_BODY_HEIGHT);
}

/** The furthest scroll position (`scroll`) and the furthest offset into the rows (`rows`). */
function ends({ count, rowHeight, viewport }: RowList): { scroll: number; rows: number } {
  return {
    scroll: Math.max(0, bodyHeight(count, rowHeight) - viewport),
    rows: Math.max(0, count * rowHeight - viewport),
  };
}

/** Px of rows per px of scrolling: 1 at or below the cap. */
export function scale(list: RowList): number {
  const end = ends(list);
  return end.scroll > 0 && end.rows > end.scroll ? end.rows / end.scroll : 1;
}

/** The offset into the rows shown at this scroll position, in whole px. */
export function offsetAt(scrollTop: number, list: RowList): number {
  const end = ends(list);
  const top = Math.min(Math.max(scrollTop, 0), end.scroll);
  return Math.min(end.rows, Math.round(top * scale(list)));
}

/**
 * The rows drawn at a scroll position, `overscan` more each side: row i sits
 * `i * rowHeight - offset` px below the viewport's top.
 */
export interface RowWindow {
  first: number;
  last: number;
  offset: number;
}

export function rowWindow(scrollTop: number, list: RowList, overscan: number): RowWindow {
  const offset = offsetAt(scrollTop, list);
  const { count, rowHeight, viewport } = list;
  return {
    first: Math.max(0, Math.floor(offset / rowHeight) - overscan),
    last: Math.min(count - 1, Math.ceil((offset + viewport) / rowHeight) - 1 + overscan),
    offset,
  };
}

/**
 * The scroll position that shows row `index` whole, moving as little as it can (the
 * virtualizer's align "auto"): the same position when the row is in view, else the row at the
 * top (coming from below it) or at the bottom. Whole px, as browsers keep them: the row is shown
 * whole when the viewport is at least a row and `scale()` px tall.
 */
export function scrollTopFor(index: number, scrollTop: number, list: RowList): number {
  const { rowHeight, viewport } = list;
  const offset = offsetAt(scrollTop, list);
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top >= offset && bottom <= offset + viewport) return scrollTop;
  const s = scale(list);
  // Rounded down, the row's top stays in view; rounded up, its bottom.
  const to = top < offset ? Math.floor(top / s) : Math.ceil((bottom - viewport) / s);
  return Math.min(ends(list).scroll, Math.max(0, to));
}
