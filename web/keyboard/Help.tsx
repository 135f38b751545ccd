import { useEffect, useRef } from "react";
import { useStore } from "../store/index.ts";
import { ACTIONS } from "./actions.ts";

function keyName(key: string): string {
  return (
    (
      {
        ArrowDown: "↓",
        ArrowUp: "↑",
        ArrowRight: "→",
        ArrowLeft: "←",
        " ": "Space",
        Escape: "Esc",
        L: "Shift+L",
        P: "Shift+P",
      } as Record<string, string>
    )[key] ?? key
  );
}

export function Help() {
  const open = useStore((s) => s.helpOpen);
  const set = useStore((s) => s.set);
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} className="help" aria-labelledby="help-title" onClose={() => set({ helpOpen: false })}>
      <h2 id="help-title">Keyboard shortcuts</h2>
      <table>
        <tbody>
          {ACTIONS.map((a) => (
            <tr key={a.id}>
              <td>
                {a.keys.map((k) => (
                  <kbd key={k}>{keyName(k)}</kbd>
                ))}
              </td>
              <td>{a.label}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        Diagram: wheel scrolls, Ctrl+wheel zooms, drag pans. Drop files anywhere (Shift adds to the open
        ones).
      </p>
      <form method="dialog">
        <button autoFocus>Close</button>
      </form>
    </dialog>
  );
}
