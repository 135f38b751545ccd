import { useStore, type State } from "./store/index.ts";

/**
 * The URL hash keeps what a link should reopen: the selected message, the search, the column
 * filters and the diagram mode, e.g. #m=12&q=authorize&f.status=302&mode=time.
 */
export function toHash(s: Pick<State, "selected" | "query" | "columnFilters" | "mode">): string {
  const p = new URLSearchParams();
  if (s.selected !== null) p.set("m", String(s.selected));
  if (s.query) p.set("q", s.query);
  for (const [k, v] of Object.entries(s.columnFilters)) if (v) p.set(`f.${k}`, v);
  if (s.mode !== "sequence") p.set("mode", s.mode);
  const text = p.toString();
  return text ? `#${text}` : "";
}

export function fromHash(hash: string): Pick<State, "selected" | "query" | "columnFilters" | "mode"> {
  const p = new URLSearchParams(hash.replace(/^#/, ""));
  const m = p.get("m");
  const columnFilters: Record<string, string> = {};
  for (const [k, v] of p) if (k.startsWith("f.") && v) columnFilters[k.slice(2)] = v;
  const id = m !== null && /^\d+$/.test(m) ? Number(m) : null;
  return {
    selected: id,
    query: p.get("q") ?? "",
    columnFilters,
    mode: p.get("mode") === "time" ? "time" : "sequence",
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
