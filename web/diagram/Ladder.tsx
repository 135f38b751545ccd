import * as d3 from "d3";
import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { LANE_TITLES } from "../../parsers/model/lanes.ts";
import { findingsByMessage, severityName, type Finding } from "../findings/FindingsPane.tsx";
import { clip, logText } from "../logText.ts";
import { orderedLanes, useStore, type Message } from "../store/index.ts";
import { dialogColor, statusClass } from "./colors.ts";
import {
  ROW_HEIGHT,
  TIME_DEFAULTS,
  firstWhere,
  sequenceLayout,
  timeAxisWindow,
  timeKnots,
  timeLayout,
  visibleBreaks,
  visibleRows,
  type RowLayout,
  type TimeKnots,
} from "./layout.ts";

const GUTTER = 126;
const RIGHT = 16;
const AXIS_WIDTH = 84;
/** An estimate of the label font's average glyph width, to keep self-arrow labels in the plot. */
const CHAR_WIDTH = 7.8;

function fit(text: string, width: number, charWidth = CHAR_WIDTH): string {
  return clip(text, Math.max(4, Math.floor(width / charWidth)));
}

/** Tooltips and accessible names carry the full label up to this length (the details pane has it all). */
const NAME_MAX = 300;

const STATUS_CLASSES = ["failed", "ok", "redirect", "neutral"] as const;

/**
 * Rows are drawn in a group translated by the pan, at their y relative to a base that moves in
 * steps of this many layout units: a pan then changes one transform and no Row's props, so
 * React skips the rows that stay on screen. Relative, not absolute, because SVG coordinates are
 * single-precision floats: a million rows are 30 million units tall, where a float is off by
 * pixels.
 */
const PAGE = 4096;

/** The row of message `id` in `rows` (ids are model positions, so rows are sorted by id), or -1. */
function rowOf(rows: Message[], id: number): number {
  const lo = firstWhere(rows.length, (i) => rows[i]!.id >= id);
  if (rows[lo]?.id === id) return lo;
  // Not sorted after all (a model from elsewhere): search it all.
  return rows.findIndex((m) => m.id === id);
}

/** A lane's title: the product for the canonical lanes, else the lane id (a host from the logs). */
export function laneTitle(lane: string): string {
  return logText(LANE_TITLES[lane as keyof typeof LANE_TITLES] ?? lane);
}

const LANE_SHORT: Record<string, string> = { expe: "Exp-E", expc: "Exp-C" };

/** A short lane name for narrow places (the table's from/to columns). */
export function laneShort(lane: string): string {
  return LANE_SHORT[lane] ?? laneTitle(lane);
}

export function shortTime(iso: string | null): string {
  return iso ? iso.slice(11, 23) : "--:--:--.---";
}

function formatGap(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  if (ms < 86_400_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${(ms / 86_400_000).toFixed(1)} days`;
}

export function arrowLabel(m: Message): string {
  const from = laneTitle(m.from);
  const to = laneTitle(m.to);
  const half =
    m.seenBy.length === 1 && m.from !== m.to ? `, logged by ${laneTitle(m.seenBy[0] ?? "")} only` : "";
  const where = m.from === m.to ? `${from}, local` : `${from} to ${to}`;
  return `${shortTime(m.time)} ${where}: ${clip(logText(m.label), NAME_MAX)}${m.failed ? ", failed" : ""}${half}`;
}

interface RowProps {
  m: Message;
  y: number;
  x1: number;
  x2: number;
  plotLeft: number;
  plotRight: number;
  selected: boolean;
  highlighted: boolean;
  dimmed: boolean;
  showLabel: boolean;
  /** Row pitch on screen: the hit area and band shrink with it so zoomed-out rows never overlap. */
  pitch: number;
  focusable: boolean;
  /** The label font's average glyph width (presenter mode's type is larger). */
  charWidth: number;
  onSelect: (id: number) => void;
}

const Row = memo(function Row(p: RowProps) {
  const { m, y, x1, x2 } = p;
  const cls = statusClass(m);
  const half = m.seenBy.length === 1 && m.from !== m.to;
  const self = m.from === m.to;
  const color = dialogColor(m.dialog);
  const dir = x2 >= x1 ? 1 : -1;
  const hit = Math.max(4, Math.min(28, p.pitch));
  const loop = Math.max(2, Math.min(7, p.pitch / 3));
  const text = `${logText(m.label)}${m.failed ? " ✖" : ""}`;
  // A self-arrow's label goes right of its loop, or left of the lane when it would not fit.
  const labelWidth = (text.length + 2) * p.charWidth;
  const roomRight = p.plotRight + 8 - (x1 + 34);
  const roomLeft = x1 - 8 - p.plotLeft;
  const selfLeft = self && labelWidth > roomRight && roomLeft > roomRight;
  const labelX = self ? (selfLeft ? x1 - 8 : x1 + 34) : (x1 + x2) / 2;
  // An arrow's label is centred on it and cut (a character early: widths are estimates) where
  // it would reach the times in the gutter or leave the diagram.
  const roomCentred = 2 * Math.min(labelX - (p.plotLeft - 6), p.plotRight + RIGHT - labelX) - p.charWidth;
  const shown = fit(text, self ? (selfLeft ? roomLeft : roomRight) : roomCentred, p.charWidth);
  return (
    <g
      className={`arrow ${cls}${half ? " half" : ""}${p.selected ? " selected" : ""}${p.highlighted ? " highlighted" : ""}${p.dimmed ? " dimmed" : ""}`}
      data-testid="message"
      data-message-id={m.id}
      data-selected={p.selected || undefined}
      data-highlighted={p.highlighted || undefined}
      role="button"
      aria-pressed={p.selected}
      aria-label={arrowLabel(m)}
      tabIndex={p.focusable ? 0 : -1}
      onClick={() => p.onSelect(m.id)}
      onKeyDown={(e) => {
        if (e.key === "Enter" || e.key === " ") {
          e.preventDefault();
          p.onSelect(m.id);
        }
      }}
    >
      <rect
        className="hit"
        x={p.plotLeft - GUTTER}
        y={y - hit / 2}
        width={p.plotRight - p.plotLeft + GUTTER}
        height={hit}
      />
      {(p.highlighted || p.selected) && (
        <rect
          className="band"
          x={p.plotLeft - GUTTER + 6}
          y={y - hit / 2 + 1}
          width={p.plotRight - p.plotLeft + GUTTER - 6}
          height={hit - 2}
          style={{ fill: m.dialog ? color : undefined }}
        />
      )}
      {m.dialog && (
        <rect
          className="dialog-mark"
          x={2}
          y={y - hit / 3}
          width={4}
          height={(hit * 2) / 3}
          style={{ fill: color }}
        />
      )}
      {p.showLabel && (
        <text className="time" x={GUTTER - 10} y={y + 4} textAnchor="end">
          {shortTime(m.time)}
        </text>
      )}
      {self ? (
        <path
          className="line"
          d={`M${x1},${y - loop} h26 v${loop * 2} h-24`}
          markerEnd={`url(#head-${cls})`}
        />
      ) : (
        <line
          className="line"
          x1={x1 + dir * 3}
          y1={y}
          x2={x2 - dir * 4}
          y2={y}
          markerEnd={`url(#head-${cls})`}
        />
      )}
      {p.showLabel && (
        <text
          className="label"
          x={labelX}
          y={self ? y + 4 : y - 6}
          textAnchor={self ? (selfLeft ? "end" : "start") : "middle"}
        >
          {shown}
          {shown !== text && <title>{clip(text, NAME_MAX)}</title>}
        </text>
      )}
    </g>
  );
});

/** A finding's badge at the left edge of one of its evidence rows; it selects the evidence. */
const FindingMarker = memo(function FindingMarker({
  f,
  y,
  size,
  active,
}: {
  f: Finding;
  y: number;
  size: number;
  active: boolean;
}) {
  const select = useStore((s) => s.selectEvidence);
  const r = Math.max(4, Math.min(8, size / 2 - 1));
  const run = () => select(f.id, f.evidence);
  return (
    <g
      className={`finding-marker ${f.severity}${active ? " active" : ""}`}
      data-testid="finding-marker"
      data-finding={f.id}
      role="button"
      tabIndex={0}
      aria-label={`${severityName(f.severity)} finding: ${logText(f.title)}. Select its evidence`}
      transform={`translate(16,${y})`}
      onClick={(e) => {
        e.stopPropagation();
        run();
      }}
      onKeyDown={(e) => {
        if (e.key === "Enter" || e.key === " ") {
          e.preventDefault();
          e.stopPropagation();
          run();
        }
      }}
    >
      <title>{logText(f.title)}</title>
      <circle r={r + 3} className="marker-hit" />
      <circle r={r} className="marker-dot" />
      {r >= 6 && (
        <text y={4} textAnchor="middle" className="marker-text">
          !
        </text>
      )}
    </g>
  );
});

const LaneHeader = memo(function LaneHeader({
  lane,
  x,
  width,
  host,
  index,
  lanes,
}: {
  lane: string;
  x: number;
  width: number;
  host: string | null;
  index: number;
  lanes: string[];
}) {
  const toggleLane = useStore((s) => s.toggleLane);
  const moveLane = useStore((s) => s.moveLane);
  const [dropTarget, setDropTarget] = useState(false);
  return (
    <div
      className={`lane-head${dropTarget ? " drop-target" : ""}`}
      style={{ left: x - width / 2, width }}
      data-testid="lane"
      data-lane={lane}
      role="group"
      aria-label={`Lane ${laneTitle(lane)}${host ? ` on ${host}` : ""}`}
      draggable
      onDragStart={(e) => {
        e.dataTransfer.setData("application/x-ucsnoop-lane", lane);
        e.dataTransfer.effectAllowed = "move";
      }}
      onDragOver={(e) => {
        if ([...e.dataTransfer.types].includes("application/x-ucsnoop-lane")) {
          e.preventDefault();
          setDropTarget(true);
        }
      }}
      onDragLeave={() => setDropTarget(false)}
      onDrop={(e) => {
        const moved = e.dataTransfer.getData("application/x-ucsnoop-lane");
        setDropTarget(false);
        if (moved && moved !== lane) {
          e.preventDefault();
          e.stopPropagation();
          moveLane(moved, index, lanes);
        }
      }}
    >
      <div className="lane-title" title={laneTitle(lane)}>
        {laneTitle(lane)}
      </div>
      <div className="lane-host" title={host ?? ""}>
        {host ?? "\u00a0"}
      </div>
      <div className="lane-buttons">
        <button
          className="icon"
          aria-label={`Move ${laneTitle(lane)} left`}
          disabled={index === 0}
          onClick={() => moveLane(lane, index - 1, lanes)}
        >
          ‹
        </button>
        <button className="icon" aria-label={`Hide ${laneTitle(lane)}`} onClick={() => toggleLane(lane)}>
          ×
        </button>
        <button
          className="icon"
          aria-label={`Move ${laneTitle(lane)} right`}
          disabled={index === lanes.length - 1}
          onClick={() => moveLane(lane, index + 1, lanes)}
        >
          ›
        </button>
      </div>
    </div>
  );
});

function useSize<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  const [size, setSize] = useState({ width: 800, height: 400 });
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setSize({ width: el.clientWidth, height: el.clientHeight });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, size] as const;
}

function TimeAxis({
  layout,
  knots,
  transform,
  x,
  gridWidth,
  viewHeight,
}: {
  layout: RowLayout;
  knots: TimeKnots;
  transform: { y: number; k: number };
  x: number;
  gridWidth: number;
  viewHeight: number;
}) {
  const ref = useRef<SVGGElement>(null);
  useEffect(() => {
    const g = ref.current;
    if (!g) return;
    const { domain, range, ticks } = timeAxisWindow(layout, knots, transform, viewHeight);
    const scale = d3.scaleLinear().domain(domain).range(range);
    const format = d3.utcFormat("%H:%M:%S.%L");
    const axis = d3
      .axisRight<number>(scale)
      .tickValues(ticks)
      .tickSizeInner(-gridWidth)
      .tickSizeOuter(0)
      .tickPadding(6)
      .tickFormat((d) => format(new Date(d)));
    d3.select(g).call(axis);
  }, [layout, knots, transform, gridWidth, viewHeight]);
  return <g ref={ref} className="time-axis" transform={`translate(${x},0)`} aria-hidden="true" />;
}

export function Ladder({ matching }: { matching: Set<number> | null }) {
  const model = useStore((s) => s.model);
  const selected = useStore((s) => s.selected);
  const select = useStore((s) => s.select);
  const mode = useStore((s) => s.mode);
  const setState = useStore((s) => s.set);
  const laneOrder = useStore((s) => s.laneOrder);
  const hiddenLanes = useStore((s) => s.hiddenLanes);
  const toggleLane = useStore((s) => s.toggleLane);
  const [bodyRef, size] = useSize<HTMLDivElement>();
  const svgRef = useRef<SVGSVGElement>(null);
  const zoomRef = useRef<d3.ZoomBehavior<SVGSVGElement, unknown> | null>(null);
  const [transform, setTransform] = useState({ y: 0, k: 1 });

  const allLanes = useMemo(() => orderedLanes(model?.lanes ?? [], laneOrder), [model, laneOrder]);
  const lanes = useMemo(() => allLanes.filter((l) => !hiddenLanes.includes(l)), [allLanes, hiddenLanes]);
  const rows = useMemo(
    () => (model?.messages ?? []).filter((m) => lanes.includes(m.from) && lanes.includes(m.to)),
    [model, lanes],
  );
  // The time axis' knots are built with the layout, once, not per frame from every row.
  const { layout, knots } = useMemo(() => {
    if (mode !== "time") return { layout: sequenceLayout(rows.length), knots: null };
    const times = rows.map((m) => (m.time ? Date.parse(m.time) : null));
    const layout = timeLayout(times);
    return { layout, knots: timeKnots(times, layout) };
  }, [rows, mode]);
  const hosts = useMemo(() => {
    const h = new Map<string, string>();
    for (const f of model?.files ?? [])
      if (f.lane && f.host && !h.has(f.lane)) h.set(f.lane, logText(f.host));
    return h;
  }, [model]);

  const plotLeft = GUTTER;
  const plotRight = size.width - RIGHT - (mode === "time" ? AXIS_WIDTH : 0);
  const x = useMemo(
    () => d3.scalePoint<string>().domain(lanes).range([plotLeft, plotRight]).padding(0.5),
    [lanes, plotLeft, plotRight],
  );
  const laneWidth = Math.max(60, x.step());

  // Zoom and pan on y only: wheel pans, Ctrl+wheel or pinch zooms, drag pans.
  const geometry = useRef({ height: layout.height, view: size.height });
  geometry.current = { height: layout.height, view: size.height };
  /** Keeps the content on screen: no panning above the first row or below the last. */
  const clamp = (y: number, k: number) => {
    const { height, view } = geometry.current;
    const minY = Math.min(0, view - height * k);
    return d3.zoomIdentity.translate(0, Math.max(minY, Math.min(0, y))).scale(k);
  };
  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const sel = d3.select(svg);
    const zoom = d3
      .zoom<SVGSVGElement, unknown>()
      .scaleExtent([0.15, 6])
      .filter((e: Event) => {
        if (e.type === "wheel") return (e as WheelEvent).ctrlKey || (e as WheelEvent).metaKey;
        if (e.type === "dblclick") return false;
        return !(e as MouseEvent).button;
      })
      .constrain((tr) => clamp(tr.y, tr.k))
      .on("zoom", (e: d3.D3ZoomEvent<SVGSVGElement, unknown>) =>
        setTransform({ y: e.transform.y, k: e.transform.k }),
      );
    sel.call(zoom).on("dblclick.zoom", null);
    const wheel = (e: WheelEvent) => {
      if (e.ctrlKey || e.metaKey) return;
      e.preventDefault();
      zoom.translateBy(sel, 0, -e.deltaY / d3.zoomTransform(svg).k);
    };
    svg.addEventListener("wheel", wheel, { passive: false });
    zoomRef.current = zoom;
    return () => {
      sel.on(".zoom", null);
      svg.removeEventListener("wheel", wheel);
    };
  }, []);

  // zoom.transform does not constrain: clamp here too.
  const setZoom = (y: number, k: number) => {
    const svg = svgRef.current;
    if (svg && zoomRef.current) d3.select(svg).call(zoomRef.current.transform, clamp(y, k));
  };

  // A new model or mode starts at the top (the selection, if any, is then scrolled into view).
  useEffect(() => {
    setZoom(0, d3.zoomTransform(svgRef.current ?? document.body).k || 1);
  }, [model, mode]);

  const walking = useStore((s) => s.walk !== null);
  // Keep the selected arrow in view when it was selected elsewhere (table, keyboard, link).
  // By bisection, and only when the selection or the rows change: not a search per frame.
  const selectedRow = useMemo(() => (selected === null ? -1 : rowOf(rows, selected)), [rows, selected]);
  useEffect(() => {
    if (selectedRow < 0) return;
    const svg = svgRef.current;
    if (!svg) return;
    const tr = d3.zoomTransform(svg);
    const y = (layout.y[selectedRow] ?? 0) * tr.k + tr.y;
    // A walkthrough keeps its step near the middle; elsewhere the selection just stays on screen.
    const margin = walking ? size.height / 4 : 30;
    if (y < margin || y > size.height - margin)
      setZoom(size.height / 2 - (layout.y[selectedRow] ?? 0) * tr.k, tr.k);
  }, [selectedRow, layout, size.height, walking]);

  // Presenter mode zooms in (large type needs taller rows) and centres the step.
  const presenter = useStore((s) => s.presenter && s.walk !== null);
  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      if (!presenter) return;
    }
    const k = presenter ? 1.5 : 1;
    const y = selectedRow >= 0 ? size.height / 2 - (layout.y[selectedRow] ?? 0) * k : 0;
    setZoom(y, k);
  }, [presenter]);

  const [start, end] = visibleRows(layout, transform, size.height);
  const dialog = selected !== null ? (model?.messages[selected]?.dialog ?? null) : null;
  const evidence = useStore((s) => s.evidence);
  const activeFinding = useStore((s) => s.finding);
  const cited = useMemo(() => new Set(evidence), [evidence]);
  const markers = useMemo(() => findingsByMessage(model?.findings ?? []), [model]);
  const pitch = transform.k * (mode === "time" ? TIME_DEFAULTS.minSpacing : ROW_HEIGHT);
  const showLabels = transform.k * (mode === "time" ? TIME_DEFAULTS.minSpacing : ROW_HEIGHT) >= 16;
  const firstFocusable = selectedRow >= start && selectedRow < end ? selected : (rows[start]?.id ?? null);
  const date = useMemo(() => rows.find((m) => m.time)?.time?.slice(0, 10) ?? "", [rows]);
  // The rows' group: the screen y of layout y `base` (see PAGE).
  const base = Math.max(0, Math.floor(-transform.y / transform.k / PAGE) * PAGE);
  const offset = base * transform.k + transform.y;
  const [b0, b1] = visibleBreaks(layout, transform, size.height);

  return (
    <section className="ladder" aria-label="Ladder diagram">
      <div className="toolbar ladder-toolbar">
        <div className="segmented" role="radiogroup" aria-label="Diagram spacing">
          {(["sequence", "time"] as const).map((m) => (
            <button
              key={m}
              role="radio"
              aria-checked={mode === m}
              className={mode === m ? "on" : ""}
              onClick={() => setState({ mode: m })}
            >
              {m === "sequence" ? "Sequence" : "Time"}
            </button>
          ))}
        </div>
        <div className="segmented" aria-label="Zoom">
          <button
            aria-label="Zoom out"
            onClick={() => setZoom(transform.y, Math.max(0.15, transform.k / 1.25))}
          >
            −
          </button>
          <button aria-label="Reset zoom" onClick={() => setZoom(0, 1)}>
            1:1
          </button>
          <button
            aria-label="Fit all messages"
            onClick={() => setZoom(0, Math.max(0.15, Math.min(1, size.height / layout.height)))}
          >
            Fit
          </button>
          <button aria-label="Zoom in" onClick={() => setZoom(transform.y, Math.min(6, transform.k * 1.25))}>
            +
          </button>
        </div>
        {hiddenLanes.length > 0 && (
          <div className="hidden-lanes">
            <span className="muted">Hidden:</span>
            {hiddenLanes.map((l) => (
              <button
                key={l}
                className="chip"
                onClick={() => toggleLane(l)}
                aria-label={`Show lane ${laneTitle(l)}`}
              >
                {laneTitle(l)} +
              </button>
            ))}
          </div>
        )}
        <span className="spacer" />
        <span className="legend muted" aria-hidden="true">
          <svg width="28" height="8">
            <line x1="0" y1="4" x2="28" y2="4" className="legend-line" />
          </svg>
          both sides
          <svg width="28" height="8">
            <line x1="0" y1="4" x2="28" y2="4" className="legend-line half" />
          </svg>
          one side only
        </span>
      </div>
      <div className="lane-heads" style={{ marginRight: 0 }}>
        <div className="lane-gutter" style={{ width: GUTTER }}>
          <div>{date || "no date"}</div>
          <div>{mode === "time" ? "time, UTC" : "in order, UTC"}</div>
        </div>
        {lanes.map((l, i) => (
          <LaneHeader
            key={l}
            lane={l}
            x={x(l) ?? 0}
            width={laneWidth}
            host={hosts.get(l) ?? null}
            index={i}
            lanes={allLanes}
          />
        ))}
      </div>
      <div className="ladder-body" ref={bodyRef}>
        <svg
          ref={svgRef}
          width={size.width}
          height={size.height}
          role="group"
          aria-roledescription="ladder diagram"
          aria-label={`Ladder diagram: ${rows.length} messages between ${lanes.map(laneTitle).join(", ")}. Arrows ${start + 1} to ${end} are drawn.`}
        >
          <defs>
            {STATUS_CLASSES.map((c) => (
              <marker
                key={c}
                id={`head-${c}`}
                viewBox="0 0 10 10"
                refX="9"
                refY="5"
                markerUnits="userSpaceOnUse"
                markerWidth="10"
                markerHeight="10"
                orient="auto-start-reverse"
              >
                <path d="M0,0 L10,5 L0,10 z" className={`head ${c}`} />
              </marker>
            ))}
          </defs>
          {lanes.map((l) => (
            <line key={l} className="lifeline" x1={x(l)} x2={x(l)} y1={0} y2={size.height} />
          ))}
          {mode === "time" && knots && (
            <TimeAxis
              layout={layout}
              knots={knots}
              transform={transform}
              x={plotRight + 4}
              gridWidth={plotRight - plotLeft + 4}
              viewHeight={size.height}
            />
          )}
          {layout.breaks.slice(b0, b1).map((b, j) => {
            const i = b0 + j;
            const y = b.y * transform.k + transform.y;
            if (y < -20 || y > size.height + 20) return null;
            return (
              <g key={i} className="gap-break" aria-hidden="true">
                <rect
                  x={plotLeft - GUTTER + 6}
                  y={y - 7}
                  width={plotRight - plotLeft + GUTTER - 6}
                  height={14}
                  className="gap-band"
                />
                {lanes.map((l) => (
                  <path
                    key={l}
                    d={`M${(x(l) ?? 0) - 6},${y + 3} l12,-6 M${(x(l) ?? 0) - 6},${y + 7} l12,-6`}
                    className="gap-zig"
                  />
                ))}
                <text x={GUTTER - 10} y={y + 4} textAnchor="end" className="gap-text">
                  +{formatGap(b.gapMs)}
                </text>
              </g>
            );
          })}
          <g className="rows" transform={`translate(0,${offset})`}>
            {rows.slice(start, end).map((m, i) => {
              const row = start + i;
              const y = ((layout.y[row] ?? 0) - base) * transform.k;
              return (
                <Row
                  key={m.id}
                  m={m}
                  y={y}
                  x1={x(m.from) ?? 0}
                  x2={x(m.to) ?? 0}
                  plotLeft={plotLeft}
                  plotRight={plotRight}
                  selected={m.id === selected}
                  highlighted={
                    m.id !== selected &&
                    (cited.size > 0 ? cited.has(m.id) : dialog !== null && m.dialog === dialog)
                  }
                  dimmed={matching !== null && !matching.has(m.id)}
                  showLabel={showLabels}
                  pitch={pitch}
                  focusable={m.id === firstFocusable}
                  charWidth={presenter ? 9.6 : CHAR_WIDTH}
                  onSelect={select}
                />
              );
            })}
          </g>
          <g className="finding-markers" transform={`translate(0,${offset})`}>
            {rows.slice(start, end).map((m, i) => {
              const f = markers.get(m.id);
              if (!f) return null;
              const y = ((layout.y[start + i] ?? 0) - base) * transform.k;
              return <FindingMarker key={m.id} f={f} y={y} size={pitch} active={f.id === activeFinding} />;
            })}
          </g>
        </svg>
        {rows.length === 0 && model && <p className="empty muted">No messages between the visible lanes.</p>}
      </div>
    </section>
  );
}
