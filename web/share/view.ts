import type { SnapshotView } from "../../parsers/share/snapshot.ts";
import { useStore, type State } from "../store/index.ts";

/** What a snapshot remembers of the view it was exported from. */
const VIEW_KEYS = [
  "selected",
  "evidence",
  "finding",
  "query",
  "columnFilters",
  "sort",
  "mode",
  "walk",
  "presenter",
  "hiddenLanes",
  "laneOrder",
] as const satisfies readonly (keyof State)[];

export function currentView(): SnapshotView {
  const s = useStore.getState();
  return Object.fromEntries(VIEW_KEYS.map((k) => [k, s[k]]));
}

/** The view back, each value checked against the model it is restored on. */
export function restoreView(view: SnapshotView): void {
  const s = useStore.getState();
  const count = s.model?.messages.length ?? 0;
  const sessions = s.model?.sessions.length ?? 0;
  const patch: Partial<State> = {};
  const v = view as Partial<State>;
  const isId = (x: unknown): x is number =>
    Number.isInteger(x) && (x as number) >= 0 && (x as number) < count;
  const strings = (x: unknown): x is string[] => Array.isArray(x) && x.every((y) => typeof y === "string");
  if (v.selected === null || isId(v.selected)) patch.selected = v.selected;
  if (Array.isArray(v.evidence) && v.evidence.every(isId)) patch.evidence = v.evidence;
  if (v.finding === null || typeof v.finding === "string") patch.finding = v.finding;
  if (typeof v.query === "string") patch.query = v.query;
  if (v.columnFilters && typeof v.columnFilters === "object")
    patch.columnFilters = Object.fromEntries(
      Object.entries(v.columnFilters).filter(([, x]) => typeof x === "string"),
    ) as Record<string, string>;
  if (v.sort === null || (v.sort && typeof v.sort.column === "string")) patch.sort = v.sort;
  if (v.mode === "sequence" || v.mode === "time") patch.mode = v.mode;
  if (v.walk === null) patch.walk = null;
  else if (
    v.walk &&
    Number.isInteger(v.walk.session) &&
    v.walk.session < sessions &&
    Number.isInteger(v.walk.step)
  )
    patch.walk = { session: v.walk.session, step: Math.max(0, v.walk.step) };
  if (typeof v.presenter === "boolean") patch.presenter = v.presenter && (patch.walk ?? null) !== null;
  if (strings(v.hiddenLanes)) patch.hiddenLanes = v.hiddenLanes;
  if (strings(v.laneOrder)) patch.laneOrder = v.laneOrder;
  s.set(patch);
}
