import {
  columnFilteringFeature,
  createColumnHelper,
  globalFilteringFeature,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type ColumnFiltersState,
  type SortingState,
} from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type RefObject } from "react";
import { flushSync } from "react-dom";
import { dialogColor, statusClass } from "../diagram/colors.ts";
import { laneShort, shortTime } from "../diagram/Ladder.tsx";
import { logText } from "../logText.ts";
import { useStore, type Message } from "../store/index.ts";
import { isBadRegex } from "../../parsers/query.ts";
import { bodyHeight, isTall, rowWindow, scrollTopFor } from "./tallScroll.ts";

/**
 * Sorting, filtering and the search run in the worker (loader.ts, `order` in the store): the
 * table holds only the rows on screen, so a bundle of 100k messages costs what 40 do.
 */
const features = tableFeatures({
  rowSortingFeature,
  columnFilteringFeature,
  globalFilteringFeature,
});
type Features = typeof features;

export function fileLine(m: Message): string {
  const first = m.evidence[0];
  if (!first) return "";
  return `${first.file}:${first.line}${m.evidence.length > 1 ? ` +${m.evidence.length - 1}` : ""}`;
}

const helper = createColumnHelper<Features, Message>();
const columns = helper.columns([
  helper.accessor((m) => m.time ?? "", {
    id: "time",
    header: "Time (UTC)",
    cell: (c) => shortTime(c.row.original.time),
  }),
  helper.accessor("from", {
    header: "From",
    cell: (c) => laneShort(c.row.original.from),
  }),
  helper.accessor("to", { header: "To", cell: (c) => laneShort(c.row.original.to) }),
  // Log text: shown through logText (bidi controls as markers); CSS ellipsises what is too long.
  helper.accessor((m) => logText(m.label), { id: "label", header: "Message" }),
  helper.accessor((m) => logText(m.status ?? (m.failed ? "failed" : "")), {
    id: "status",
    header: "Status",
  }),
  helper.accessor((m) => logText(m.dialog), { id: "dialog", header: "Dialog" }),
  helper.accessor((m) => logText(m.user), { id: "user", header: "User" }),
  helper.accessor((m) => logText(fileLine(m)), { id: "file", header: "File:line" }),
]);

const ROW_HEIGHT = 26;
const estimateSize = () => ROW_HEIGHT;
// Each row beyond the screen is built, laid out and painted again on every scroll frame.
const OVERSCAN = 4;
const EMPTY: Message[] = [];

/**
 * The scroll box's position and height, followed only while the rows are taller than the cap
 * (tallScroll.ts; the virtualizer follows them below it). Each scroll renders at once, as the
 * virtualizer's does: the rows move in the frame that scrolled.
 */
function useScrollBox(ref: RefObject<HTMLDivElement | null>, active: boolean) {
  const [box, setBox] = useState({ top: 0, height: 0 });
  useLayoutEffect(() => {
    const el = ref.current;
    if (!active || !el) return;
    const read = () =>
      setBox((b) =>
        b.top === el.scrollTop && b.height === el.clientHeight
          ? b
          : { top: el.scrollTop, height: el.clientHeight },
      );
    const onScroll = () => flushSync(read);
    read();
    el.addEventListener("scroll", onScroll, { passive: true });
    const resize = new ResizeObserver(read);
    resize.observe(el);
    return () => {
      el.removeEventListener("scroll", onScroll);
      resize.disconnect();
    };
  }, [ref, active]);
  return box;
}

export function MessageTable() {
  const messages = useStore((s) => s.model?.messages ?? EMPTY);
  const order = useStore((s) => s.order);
  const selected = useStore((s) => s.selected);
  const evidence = useStore((s) => s.evidence);
  const select = useStore((s) => s.select);
  const query = useStore((s) => s.query);
  const filters = useStore((s) => s.columnFilters);
  const sort = useStore((s) => s.sort);
  const setColumnFilter = useStore((s) => s.setColumnFilter);
  const setState = useStore((s) => s.set);
  const sorting = useMemo<SortingState>(() => (sort ? [{ id: sort.column, desc: sort.desc }] : []), [sort]);
  const columnFilters = useMemo<ColumnFiltersState>(
    () => Object.entries(filters).map(([id, value]) => ({ id, value })),
    [filters],
  );
  const selectedDialog = selected !== null ? (messages[selected]?.dialog ?? null) : null;
  const cited = useMemo(() => new Set(evidence), [evidence]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const headRef = useRef<HTMLDivElement>(null);
  const [headHeight, setHeadHeight] = useState(60);
  useLayoutEffect(() => {
    if (headRef.current) setHeadHeight(headRef.current.offsetHeight);
  }, []);
  // The virtualizer recomputes every row's position (O(rows), 10 ms at a million) whenever
  // getItemKey changes identity: keep it stable between scroll frames, new only with the order.
  const getItemKey = useCallback((i: number) => order[i] ?? i, [order]);
  // Rows taller than browsers lay out (2 million rows): the scroll position maps to the rows.
  const tall = isTall(order.length, ROW_HEIGHT);
  // The sticky header sits in the scroll box above the rows: rows start below it.
  const virtualizer = useVirtualizer({
    scrollMargin: headHeight,
    scrollPaddingStart: headHeight,
    // Over the cap it is given no rows, but follows the scroll position still: for below it.
    count: tall ? 0 : order.length,
    getScrollElement: () => scrollRef.current,
    estimateSize,
    getItemKey,
    overscan: OVERSCAN,
  });
  const box = useScrollBox(scrollRef, tall);
  const rowList = {
    count: order.length,
    rowHeight: ROW_HEIGHT,
    viewport: Math.max(0, box.height - headHeight),
  };
  // Each row's index and its place: below the header in the body, or in the window over the cap.
  let items: { index: number; top: number }[];
  if (tall) {
    const { first, last, offset } = rowWindow(box.top, rowList, OVERSCAN);
    items = Array.from({ length: last - first + 1 }, (_, i) => ({
      index: first + i,
      top: (first + i) * ROW_HEIGHT - offset,
    }));
  } else {
    items = virtualizer.getVirtualItems().map((i) => ({ index: i.index, top: i.start - headHeight }));
  }
  // Only the rows on screen go to the table.
  const windowKey = items.map((i) => i.index).join();
  const data = useMemo(
    () =>
      windowKey
        .split(",")
        .filter(Boolean)
        .map((i) => messages[order[Number(i)] ?? -1])
        .filter((m): m is Message => m !== undefined),
    [messages, order, windowKey],
  );

  const table = useTable({
    features,
    columns,
    data,
    getRowId: (m) => String(m.id),
    state: { sorting, columnFilters, globalFilter: query },
    manualSorting: true,
    manualFiltering: true,
    onSortingChange: (updater) => {
      const next = typeof updater === "function" ? updater(sorting) : updater;
      const first = next[0];
      setState({ sort: first ? { column: first.id, desc: !!first.desc } : null });
    },
    onColumnFiltersChange: () => undefined,
    onGlobalFilterChange: () => undefined,
  });
  const rows = table.getRowModel().rows;
  const rowById = new Map(rows.map((r) => [r.original.id, r]));

  // Unfiltered and unsorted, the order is the ids themselves: no search of a million entries.
  const selectedIndex = useMemo(
    () => (selected === null ? -1 : order[selected] === selected ? selected : order.indexOf(selected)),
    [order, selected],
  );
  useEffect(() => {
    const el = scrollRef.current;
    if (selectedIndex < 0) return;
    if (!tall || !el) virtualizer.scrollToIndex(selectedIndex, { align: "auto" });
    else {
      const viewport = Math.max(0, el.clientHeight - headHeight);
      el.scrollTop = scrollTopFor(selectedIndex, el.scrollTop, {
        count: order.length,
        rowHeight: ROW_HEIGHT,
        viewport,
      });
    }
    // Only when the selection moves, as below the cap: not when the count or the header does.
  }, [selectedIndex, virtualizer]);

  const rowElements = items.map((item) => {
    const row = rowById.get(order[item.index] ?? -1);
    if (!row) return null;
    const m = row.original;
    const isSelected = m.id === selected;
    const highlighted =
      !isSelected &&
      (cited.size > 0 ? cited.has(m.id) : selectedDialog !== null && m.dialog === selectedDialog);
    return (
      <div
        role="row"
        key={row.id}
        aria-rowindex={item.index + 3}
        aria-selected={isSelected}
        data-testid="row"
        data-message-id={m.id}
        data-highlighted={highlighted || undefined}
        className={`grid-row ${statusClass(m)}${isSelected ? " selected" : ""}${highlighted ? " highlighted" : ""}`}
        style={{ transform: `translateY(${item.top}px)`, height: ROW_HEIGHT }}
        onClick={() => select(m.id)}
      >
        {row.getAllCells().map((cell) => (
          <div role="gridcell" key={cell.id} className={`cell col-${cell.column.id}`}>
            {cell.column.id === "dialog" && m.dialog && (
              <span className="swatch" style={{ background: dialogColor(m.dialog) }} aria-hidden="true" />
            )}
            <table.FlexRender cell={cell} />
          </div>
        ))}
      </div>
    );
  });

  const filtered = order.length !== messages.length;
  return (
    <section className="message-table" aria-label="Messages">
      <div className="toolbar table-toolbar">
        <h2>Messages</h2>
        <span className="muted" role="status" data-testid="row-count">
          {filtered ? `${order.length} of ${messages.length}` : `${messages.length}`} messages
        </span>
        {(query || Object.keys(filters).length > 0) && (
          <button
            onClick={() => {
              setState({ query: "", columnFilters: {} });
            }}
          >
            Clear filters
          </button>
        )}
      </div>
      <div className="grid-scroll" ref={scrollRef}>
        <div
          role="grid"
          aria-label="Messages"
          aria-rowcount={order.length + 2}
          aria-multiselectable="false"
          className="grid"
          style={{ minWidth: 880 }}
        >
          <div role="rowgroup" className="grid-head" ref={headRef}>
            {table.getHeaderGroups().map((group) => (
              <div role="row" key={group.id} className="grid-row head" aria-rowindex={1}>
                {group.headers.map((header) => {
                  const dir = header.column.getIsSorted();
                  return (
                    <div
                      role="columnheader"
                      key={header.id}
                      className={`cell col-${header.id}`}
                      aria-sort={dir === "asc" ? "ascending" : dir === "desc" ? "descending" : "none"}
                    >
                      <button className="sort" onClick={header.column.getToggleSortingHandler()} title="Sort">
                        <table.FlexRender header={header} />
                        <span aria-hidden="true">{dir === "asc" ? " ▲" : dir === "desc" ? " ▼" : ""}</span>
                      </button>
                    </div>
                  );
                })}
              </div>
            ))}
            <div role="row" className="grid-row filters" aria-rowindex={2}>
              {table.getAllLeafColumns().map((column) => {
                const value = filters[column.id] ?? "";
                return (
                  <div role="gridcell" key={column.id} className={`cell col-${column.id}`}>
                    <input
                      aria-label={`Filter ${String(column.columnDef.header)}`}
                      placeholder="filter"
                      value={value}
                      className={isBadRegex(value) ? "bad" : ""}
                      data-testid={`filter-${column.id}`}
                      onChange={(e) => setColumnFilter(column.id, e.target.value)}
                    />
                  </div>
                );
              })}
            </div>
          </div>
          <div
            role="rowgroup"
            className="grid-body"
            style={{ height: tall ? bodyHeight(order.length, ROW_HEIGHT) : virtualizer.getTotalSize() }}
          >
            {tall ? (
              // Over the cap the rows go in a window that stays under the header (sticky), placed
              // by the scroll position: a frame scrolled before they are placed again leaves them
              // still, rather than moved by the wrong amount.
              <div
                role="presentation"
                style={{
                  position: "sticky",
                  top: headHeight,
                  height: rowList.viewport,
                  overflow: "hidden",
                  overflowAnchor: "none",
                }}
              >
                {rowElements}
              </div>
            ) : (
              rowElements
            )}
          </div>
        </div>
      </div>
    </section>
  );
}
