import { useEffect, useRef, useState } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import { CANONICAL_LANES, LANE_TITLES } from "../../parsers/model/lanes.ts";
import { cancelParse, overrideFile, parser, removeFile, setFileTime } from "../loader.ts";
import { useStore, type FileInfo, type FileProgress } from "../store/index.ts";
import { logText } from "../logText.ts";

/** "10 000": digits grouped by a no-break space, as the rest of the page writes counts. */
export function formatCount(n: number): string {
  // Each run of 4 or more digits is grouped from its right end (a lookahead tried at every digit
  // would reread the run from each).
  return String(n).replace(/\d{4,}/g, (run) => {
    const head = run.length % 3 || 3;
    return run.slice(0, head) + run.slice(head).replace(/\d{3}/g, "\u00a0$&");
  });
}

/** Past this many files the list draws only the cards in view (a drop of 10 000 files). */
const VIRTUAL_FROM = 100;
/** Files shown while parsing: the ones being read; the rest are counted. */
const PROGRESS_SHOWN = 8;

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

let sourcesCache: Promise<{ id: string; label: string }[]> | null = null;
function useSources() {
  const [sources, setSources] = useState<{ id: string; label: string }[]>([]);
  useEffect(() => {
    sourcesCache ??= parser().sources();
    void sourcesCache.then(setSources);
  }, []);
  return sources;
}

function ProgressBar({ p }: { p: FileProgress }) {
  const pct = p.size ? Math.round((100 * p.bytesRead) / p.size) : 100;
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={`${p.name} parsed`}
      aria-valuenow={pct}
      aria-valuemin={0}
      aria-valuemax={100}
    >
      <div style={{ width: `${pct}%` }} />
    </div>
  );
}

/** Minutes east of UTC of a "+05:30" zone. */
export function zoneMinutes(zone: string): number {
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!m) return 0;
  return (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

export function formatZoneMinutes(minutes: number): string {
  const a = Math.abs(minutes);
  return `${minutes < 0 ? "-" : "+"}${String(Math.floor(a / 60)).padStart(2, "0")}:${String(a % 60).padStart(2, "0")}`;
}

/** UTC-12:00 to UTC+14:00 by half hours, plus the quarter-hour zones in use. */
const ZONES = [...new Set([...Array.from({ length: 53 }, (_, i) => -720 + i * 30), 345, 525, 765, 825])].sort(
  (a, b) => a - b,
);

/** Asked of the user: the date of a time-of-day file no other log dates, and an assumed zone. */
function FileTime({ f, index }: { f: FileInfo; index: number }) {
  const tb = f.timeBase;
  const askDate = tb.kind === "tod" && (tb.dateFrom === "unknown" || tb.dateFrom === "user");
  const askZone = tb.zoneAssumed || tb.kind === "local" || tb.kind === "tod";
  if (!askDate && !askZone) return null;
  const zone = zoneMinutes(tb.zone);
  const zones = ZONES.includes(zone) ? ZONES : [...ZONES, zone].sort((a, b) => a - b);
  return (
    <div className="file-time">
      {askDate && (
        <label>
          <span>Date</span>
          <input
            type="date"
            aria-label={`Date of ${f.name}`}
            data-testid="file-date"
            value={tb.dateFrom === "unknown" ? "" : (tb.date ?? "")}
            className={tb.dateFrom === "unknown" ? "ask" : ""}
            onChange={(e) => {
              if (/^\d{4}-\d{2}-\d{2}$/.test(e.target.value) || e.target.value === "")
                void setFileTime(index, { date: e.target.value || null });
            }}
          />
        </label>
      )}
      {askZone && (
        <label>
          <span>Zone</span>
          <select
            aria-label={`Time zone of ${f.name}`}
            data-testid="file-zone"
            value={zone}
            onChange={(e) => void setFileTime(index, { zoneMinutes: Number(e.target.value) })}
          >
            {zones.map((z) => (
              <option key={z} value={z}>
                UTC{formatZoneMinutes(z)}
                {z === zone && tb.zoneAssumed ? " (assumed)" : ""}
              </option>
            ))}
          </select>
        </label>
      )}
    </div>
  );
}

function FileCard({
  f,
  index,
  sources,
  measure,
  top,
}: {
  f: FileInfo;
  index: number;
  sources: { id: string; label: string }[];
  /** In a virtual list: the virtualizer measures the card, drawn at `top`. */
  measure?: (el: HTMLElement | null) => void;
  top?: number;
}) {
  const parsing = useStore((s) => s.parsing);
  const [host, setHost] = useState(f.host ?? "");
  useEffect(() => setHost(f.host ?? ""), [f.host]);
  const problems = [
    ...f.errors.map((e) => ({ e, kind: "error" })),
    ...f.warnings.map((e) => ({ e, kind: "warning" })),
  ];
  return (
    <li
      className={`file ${f.source === "unknown" ? "unknown" : ""}`}
      data-testid="file"
      data-file={f.name}
      ref={measure}
      data-index={index}
      style={
        top === undefined
          ? undefined
          : { position: "absolute", top: 0, left: 0, right: 0, transform: `translateY(${top}px)` }
      }
    >
      <div className="file-head">
        <span className="file-name" title={logText(f.name)}>
          {logText(f.name)}
        </span>
        <button
          className="icon"
          aria-label={`Remove ${f.name}`}
          title="Remove this file"
          disabled={parsing}
          onClick={() => void removeFile(index)}
        >
          ×
        </button>
      </div>
      <div className="file-fields">
        <select
          aria-label={`Source of ${f.name}`}
          value={f.source}
          disabled={parsing}
          onChange={(e) => void overrideFile(index, { source: e.target.value as never })}
        >
          {f.source === "unknown" && <option value="unknown">unknown</option>}
          {sources.map((s) => (
            <option key={s.id} value={s.id}>
              {s.id}
            </option>
          ))}
        </select>
        <select
          aria-label={`Lane of ${f.name}`}
          value={f.lane ?? ""}
          disabled={parsing}
          onChange={(e) => void overrideFile(index, { lane: e.target.value })}
        >
          {!f.lane && <option value="">no lane</option>}
          {[...new Set([...CANONICAL_LANES, ...(f.lane ? [f.lane] : [])])].map((l) => (
            <option key={l} value={l}>
              {LANE_TITLES[l as keyof typeof LANE_TITLES] ?? l}
            </option>
          ))}
        </select>
        <input
          aria-label={`Host of ${f.name}`}
          placeholder="host"
          value={host}
          disabled={parsing}
          onChange={(e) => setHost(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") (e.target as HTMLInputElement).blur();
          }}
          onBlur={() => {
            if (host !== (f.host ?? "")) void overrideFile(index, { host });
          }}
        />
      </div>
      <FileTime f={f} index={index} />
      <div className="file-counts">
        <span title="size">{formatSize(f.size)}</span>
        <span title="records">{f.records} records</span>
        <span title="unparsed lines" className={f.unparsedLines ? "warn" : ""}>
          {f.unparsedLines} unparsed
        </span>
      </div>
      {problems.length > 0 && (
        <ul className="file-problems">
          {problems.map((p, i) => (
            <li key={i} className={p.kind}>
              {p.kind === "error" ? "✖ " : "⚠ "}
              {logText(p.e)}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

function FileList({ files, sources }: { files: FileInfo[]; sources: { id: string; label: string }[] }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtual = files.length > VIRTUAL_FROM;
  const virtualizer = useVirtualizer({
    count: virtual ? files.length : 0,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 120,
    gap: 8,
    overscan: 6,
  });
  if (!virtual)
    return (
      <ul className="file-list" aria-label="Open files" data-testid="file-list">
        {files.map((f, i) => (
          <FileCard key={`${i}:${f.name}`} f={f} index={i} sources={sources} />
        ))}
      </ul>
    );
  return (
    <div className="file-scroll" ref={scrollRef} data-testid="file-list">
      <ul
        className="file-list virtual"
        aria-label="Open files"
        style={{ height: virtualizer.getTotalSize() }}
      >
        {virtualizer.getVirtualItems().map((item) => {
          const f = files[item.index]!;
          return (
            <FileCard
              key={`${item.index}:${f.name}`}
              f={f}
              index={item.index}
              sources={sources}
              measure={virtualizer.measureElement}
              top={item.start}
            />
          );
        })}
      </ul>
    </div>
  );
}

/** Counts over all the files: what a drop of thousands comes down to. */
function FilesSummary({ files }: { files: FileInfo[] }) {
  if (files.length < 2) return null;
  const bytes = files.reduce((n, f) => n + f.size, 0);
  const problems = files.filter((f) => f.errors.length > 0).length;
  const unknown = files.filter((f) => f.source === "unknown").length;
  return (
    <p className="muted files-summary" data-testid="files-summary">
      {formatCount(files.length)} files · {formatSize(bytes)}
      {unknown > 0 && ` · ${formatCount(unknown)} not recognised`}
      {problems > 0 && ` · ${formatCount(problems)} with errors`}
    </p>
  );
}

function ParseProgress({ progress }: { progress: FileProgress[] }) {
  const done = progress.filter((p) => p.done).length;
  const size = progress.reduce((n, p) => n + p.size, 0);
  const read = progress.reduce((n, p) => n + Math.min(p.bytesRead, p.size), 0);
  const reading = progress.filter((p) => !p.done && p.bytesRead > 0);
  const shown = (reading.length ? reading : progress.filter((p) => !p.done)).slice(0, PROGRESS_SHOWN);
  return (
    <>
      {progress.length > 1 && (
        <div className="file parsing" data-testid="parse-summary">
          <div className="file-head">
            <span>
              {formatCount(done)} of {formatCount(progress.length)} files read
            </span>
            <span className="muted">
              {formatSize(read)} of {formatSize(size)}
            </span>
          </div>
          <ProgressBar p={{ name: "All files", bytesRead: read, size, done: false }} />
        </div>
      )}
      <ul className="file-list" aria-label="Files being parsed">
        {shown.map((p) => (
          <li key={p.name} className="file parsing" data-testid="file-progress">
            <div className="file-head">
              <span className="file-name">{logText(p.name)}</span>
              <span className="muted">{formatSize(p.size)}</span>
            </div>
            <ProgressBar p={p} />
          </li>
        ))}
      </ul>
    </>
  );
}

export function FilePane() {
  const model = useStore((s) => s.model);
  const files = model?.files ?? [];
  const progress = useStore((s) => s.progress);
  const parsing = useStore((s) => s.parsing);
  const error = useStore((s) => s.error);
  const sources = useSources();
  return (
    <section className="pane files-pane" aria-labelledby="files-title">
      <div className="pane-title">
        <h2 id="files-title">Files</h2>
        {parsing && (
          <button onClick={() => void cancelParse()} aria-label="Cancel parsing">
            Cancel
          </button>
        )}
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {parsing && <ParseProgress progress={progress} />}
      {!parsing && files.length === 0 && (
        <p className="muted">Drop log files or folders anywhere, or use Open logs.</p>
      )}
      {!parsing && <FilesSummary files={files} />}
      {!parsing && <FileList files={files} sources={sources} />}
    </section>
  );
}
