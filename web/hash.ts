import { useStore, type State } from "./store/index.ts";

type Hashed = Pick<State, "selected" | "query" | "columnFilters" | "mode" | "walk" | "presenter">;

/**
 * The URL hash keeps what a link should reopen: the selected message, the search, the column
 * filters, the diagram mode and the walkthrough step, e.g. #m=12&q=authorize&f.status=302&mode=time
 * or #w=0&step=5&present=1 (session 0 of the model, its sixth message, presenter mode).
 */
export function toHash(s: Hashed): string {
  const p = new URLSearchParams();
  if (s.selected !== null) p.set("m", String(s.selected));
  if (s.query) p.set("q", s.query);
  for (const [k, v] of Object.entries(s.columnFilters)) if (v) p.set(`f.${k}`, v);
  if (s.mode !== "sequence") p.set("mode", s.mode);
  if (s.walk) {
    p.set("w", String(s.walk.session));
    p.set("step", String(s.walk.step));
    if (s.presenter) p.set("present", "1");
  }
  const text = p.toString();
  return text ? `#${text}` : "";
}

export function fromHash(hash: string): Hashed {
  const p = new URLSearchParams(hash.replace(/^#/, ""));
  const m = p.get("m");
  const columnFilters: Record<string, string> = {};
  for (const [k, v] of p) if (k.startsWith("f.") && v) columnFilters[k.slice(2)] = v;
  const id = m !== null && /^\d+$/.test(m) ? Number(m) : null;
  const w = p.get("w");
  const step = p.get("step");
  const walk =
    w !== null && /^\d+$/.test(w)
      ? { session: Number(w), step: /^\d+$/.test(step ?? "") ? Number(step) : 0 }
      : null;
  return {
    selected: id,
    query: p.get("q") ?? "",
    columnFilters,
    mode: p.get("mode") === "time" ? "time" : "sequence",
    walk,
    presenter: walk !== null && p.get("present") === "1",
  };
}

/** Reads the hash once, then writes it on every change (replaceState: no history spam). */
export function syncHash(): () => void {
  const initial = fromHash(location.hash);
  useStore.getState().set(initial);
  let last = toHash(useStore.getState());
  const unsubscribe = useStore.subscribe((s) => {
    const next = toHash(s);
    if (next === last) return;
    last = next;
    history.replaceState(null, "", `${location.pathname}${location.search}${next}`);
  });
  const onHash = () => {
    if (location.hash === last) return;
    last = location.hash;
    useStore.getState().set(fromHash(location.hash));
  };
  window.addEventListener("hashchange", onHash);
  return () => {
    unsubscribe();
    window.removeEventListener("hashchange", onHash);
  };
}
