import { useEffect, useState } from "react";
import { CANONICAL_LANES, LANE_TITLES } from "../../parsers/model/lanes.ts";
import { cancelParse, overrideFile, parser, removeFile } from "../loader.ts";
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

function FileCard({ f, sources }: { f: FileInfo; sources: { id: string; label: string }[] }) {
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
          onClick={() => void removeFile(f.name)}
        >
          ×
        </button>
      </div>
      <div className="file-fields">
        <select
          aria-label={`Source of ${f.name}`}
          value={f.source}
          disabled={parsing}
          onChange={(e) => void overrideFile(f.name, { source: e.target.value as never })}
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
          onChange={(e) => void overrideFile(f.name, { lane: e.target.value })}
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
            if (host !== (f.host ?? "")) void overrideFile(f.name, { host });
          }}
        />
      </div>
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
          {files.map((f) => (
            <FileCard key={f.name} f={f} sources={sources} />
          ))}
        </ul>
      )}
    </section>
  );
}
