import { useEffect, useRef, useState } from "react";
import type { RedactionPreview } from "../../parsers/share/preview.ts";
import { parser } from "../loader.ts";
import { useStore } from "../store/index.ts";
import { exportSnapshot, exportStem } from "./actions.ts";
import { fileName } from "./download.ts";

/**
 * Before a snapshot leaves the page: what redaction will hide (rule by rule, counted on this
 * model and its raw lines), the pseudonyms choice, and the file name.
 */
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function ExportDialog() {
  const open = useStore((s) => s.exportOpen);
  const redact = useStore((s) => s.redact);
  const pseudonyms = useStore((s) => s.pseudonyms);
  const model = useStore((s) => s.model);
  const set = useStore((s) => s.set);
  const ref = useRef<HTMLDialogElement>(null);
  const [preview, setPreview] = useState<RedactionPreview | null>(null);
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);

  useEffect(() => {
    if (!open) return;
    setName(fileName(exportStem(), "html"));
    setError(null);
    setPreview(null);
    let live = true;
    void parser()
      .redactionPreview()
      .then((p) => live && setPreview(p))
      .catch((err: Error) => live && setError(err.message));
    return () => {
      live = false;
    };
  }, [open, model]);

  const matched = preview?.rules.filter((r) => r.count > 0) ?? [];
  const total = matched.reduce((n, r) => n + r.count, 0);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await exportSnapshot(name.trim() || fileName(exportStem(), "html"));
      set({ exportOpen: false });
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog
      ref={ref}
      className="help export-dialog"
      aria-labelledby="export-title"
      data-testid="export-dialog"
      onClose={() => set({ exportOpen: false })}
    >
      <h2 id="export-title">Export snapshot</h2>
      <p className="muted">
        One HTML file with the viewer and this trace ({model?.messages.length ?? 0} messages, their raw lines
        and the current view). It opens offline in any browser and makes no network request.
      </p>
      <label className="check">
        <input
          type="checkbox"
          checked={redact}
          data-testid="export-redact"
          onChange={(e) => set({ redact: e.target.checked })}
        />
        Redact secrets (passwords, tokens, credentials, cookies)
      </label>
      <div className={`redaction-preview${redact ? "" : " off"}`} data-testid="redaction-preview">
        {!preview && !error && <p className="muted">Counting what redaction hides…</p>}
        {preview && matched.length === 0 && <p className="muted">No secret found in this trace.</p>}
        {preview && matched.length > 0 && (
          <>
            <p>
              {redact ? "Will hide" : "Would hide"} {plural(total, "value")}:
            </p>
            <table>
              <tbody>
                {matched.map((r) => (
                  <tr key={r.name} data-testid="redaction-rule" data-rule={r.name}>
                    <td className="count">{r.count}</td>
                    <td>
                      <b>{r.name}</b> <span className="muted">{r.description}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </div>
      <label className="check">
        <input
          type="checkbox"
          checked={pseudonyms}
          data-testid="export-pseudonyms"
          onChange={(e) => set({ pseudonyms: e.target.checked })}
        />
        Pseudonyms for users, hosts and IP addresses
        {preview && (
          <span className="muted">
            {" "}
            ({plural(preview.aliases.users, "user")}, {plural(preview.aliases.hosts, "host")},{" "}
            {plural(preview.aliases.ips, "address", "addresses")})
          </span>
        )}
      </label>
      <label className="file-name">
        <span>File name</span>
        <input
          type="text"
          value={name}
          spellCheck={false}
          data-testid="export-name"
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      {!redact && (
        <p className="warning" role="alert">
          Redaction is off: the file will hold every password and token of the logs.
        </p>
      )}
      {error && (
        <p className="warning" role="alert">
          {error}
        </p>
      )}
      <div className="buttons">
        <button onClick={() => set({ exportOpen: false })}>Cancel</button>
        <button
          className="primary"
          disabled={busy || !model}
          data-testid="export-confirm"
          onClick={() => void submit()}
        >
          {busy ? "Exporting…" : "Export"}
        </button>
      </div>
    </dialog>
  );
}
