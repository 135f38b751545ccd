import { useEffect, useState } from "react";
import { CANONICAL_LANES, LANE_TITLES } from "../../parsers/model/lanes.ts";
import { cancelParse, overrideFile, parser, removeFile, setFileTime } from "../loader.ts";
import { useStore, type FileInfo, type FileProgress } from "../store/index.ts";

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
}: {
  f: FileInfo;
  index: number;
  sources: { id: string; label: string }[];
}) {
  const parsing = useStore((s) => s.parsing);
  const [host, setHost] = useState(f.host ?? "");
  useEffect(() => setHost(f.host ?? ""), [f.host]);
  const problems = [
    ...f.errors.map((e) => ({ e, kind: "error" })),
    ...f.warnings.map((e) => ({ e, kind: "warning" })),
  ];
  return (
    <li className={`file ${f.source === "unknown" ? "unknown" : ""}`} data-testid="file" data-file={f.name}>
      <div className="file-head">
        <span className="file-name" title={f.name}>
          {f.name}
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
              {p.e}
            </li>
          ))}
        </ul>
      )}
    </li>
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
      {parsing && (
        <ul className="file-list" aria-label="Files being parsed">
          {progress.map((p) => (
            <li key={p.name} className="file parsing" data-testid="file-progress">
              <div className="file-head">
                <span className="file-name">{p.name}</span>
                <span className="muted">{formatSize(p.size)}</span>
              </div>
              <ProgressBar p={p} />
            </li>
          ))}
        </ul>
      )}
      {!parsing && files.length === 0 && (
        <p className="muted">Drop log files or folders anywhere, or use Open logs.</p>
      )}
      {!parsing && (
        <ul className="file-list" aria-label="Open files">
          {files.map((f, i) => (
            <FileCard key={`${i}:${f.name}`} f={f} index={i} sources={sources} />
          ))}
        </ul>
      )}
    </section>
  );
}
