import { useEffect, useRef, useState } from "react";
import { useStore } from "../store/index.ts";
import { exportAs, PAGE_EXPORTS } from "./actions.ts";

/** The header's Export menu: snapshot, diagram and ladder formats, and the redaction switch. */
export function ExportMenu() {
  const [open, setOpen] = useState(false);
  const redact = useStore((s) => s.redact);
  const pseudonyms = useStore((s) => s.pseudonyms);
  const hasModel = useStore((s) => s.model !== null);
  const set = useStore((s) => s.set);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: Event) => {
      if (!ref.current?.contains(e.target as Node)) setOpen(false);
    };
    const esc = (e: KeyboardEvent) => {
      if (e.key === "Escape") setOpen(false);
    };
    document.addEventListener("pointerdown", close);
    document.addEventListener("keydown", esc, true);
    return () => {
      document.removeEventListener("pointerdown", close);
      document.removeEventListener("keydown", esc, true);
    };
  }, [open]);
  return (
    <div className="export-menu" ref={ref}>
      <button
        onClick={() => set({ exportOpen: true })}
        disabled={!hasModel}
        title="Export snapshot: one offline HTML file (e)"
        data-testid="export-snapshot"
      >
        Export snapshot
      </button>
      <button
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label="More exports"
        title="Export the diagram, the ladder or the table"
        disabled={!hasModel}
        data-testid="export-menu"
        onClick={() => setOpen(!open)}
      >
        Export ▾
      </button>
      {open && (
        <div className="menu" role="menu">
          {PAGE_EXPORTS.map((e) => (
            <button
              key={e.id}
              role="menuitem"
              data-testid={`export-${e.id}`}
              onClick={() => {
                setOpen(false);
                void exportAs(e.id);
              }}
            >
              {e.label}
            </button>
          ))}
          <hr />
          <label className="check" role="menuitemcheckbox" aria-checked={redact}>
            <input type="checkbox" checked={redact} onChange={(e) => set({ redact: e.target.checked })} />
            Redact secrets
          </label>
          <label className="check" role="menuitemcheckbox" aria-checked={pseudonyms}>
            <input
              type="checkbox"
              checked={pseudonyms}
              onChange={(e) => set({ pseudonyms: e.target.checked })}
            />
            Pseudonyms
          </label>
          <p className="muted">Exports follow the table's search and filters.</p>
        </div>
      )}
    </div>
  );
}
