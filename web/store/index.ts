import { create } from "zustand";
import type { ModelJson } from "../../parsers/model/json.ts";
import type { DroppedFile, PartialProgress } from "../../parsers/workerApi.ts";

export type Message = ModelJson["messages"][number];
export type FileInfo = ModelJson["files"][number];

/** How far a file has been read; kept by name while the worker parses. */
export interface FileProgress {
  name: string;
  bytesRead: number;
  size: number;
  done: boolean;
}

export type DiagramMode = "sequence" | "time";
export type Theme = "light" | "dark";

interface ModelValues {
  model: ModelJson | null;
  /** The files the page dropped (the worker keeps its own copy and does remove/override). */
  dropped: DroppedFile[];
  progress: FileProgress[];
  parsing: boolean;
  /** The model shown is of the files read so far (null once every file is read). */
  partial: PartialProgress | null;
  sample: string | null;
  error: string | null;
}

interface SelectionValues {
  selected: number | null;
  /** The messages a finding cites, highlighted together (the first is selected); [] when none. */
  evidence: number[];
  /** The finding whose evidence is highlighted. */
  finding: string | null;
}

/** Walkthrough (classroom mode): a session of the model, stepped one message at a time. */
export interface Walk {
  /** Index into model.sessions. */
  session: number;
  /** Index into that session's messages. */
  step: number;
}

interface WalkValues {
  walk: Walk | null;
  /** Presenter mode: chrome hidden, large type, high contrast. */
  presenter: boolean;
}

interface FilterValues {
  /** Global search: plain text (case-insensitive) or /regex/flags. */
  query: string;
  /** Per-column filter text by column id. */
  columnFilters: Record<string, string>;
  /** The table's sort (the worker sorts); null is the model's order. */
  sort: { column: string; desc: boolean } | null;
  /** The message ids in the table's current order (filtered and sorted): j/k walk this. */
  order: number[];
}

interface ViewValues {
  mode: DiagramMode;
  /** The user's lane order; lanes not in it follow in the model's (canonical) order. */
  laneOrder: string[];
  hiddenLanes: string[];
  theme: Theme;
  helpOpen: boolean;
}

interface ShareValues {
  /** The export snapshot dialog is open. */
  exportOpen: boolean;
  /** Hide secrets in snapshots and exports (on by default). */
  redact: boolean;
  /** Replace users, hosts and IP addresses with consistent aliases. */
  pseudonyms: boolean;
  /** The open model came from a snapshot: whether it was redacted, pseudonymized. */
  snapshot: { redacted: boolean; pseudonyms: boolean } | null;
}

export type State = ModelValues & SelectionValues & FilterValues & ViewValues & WalkValues & ShareValues;

export interface Actions {
  set(patch: Partial<State>): void;
  select(id: number | null): void;
  /** Highlight a finding's evidence and select its first message. */
  selectEvidence(finding: string, ids: number[]): void;
  setQuery(query: string): void;
  setColumnFilter(column: string, value: string): void;
  toggleLane(lane: string): void;
  moveLane(lane: string, to: number, lanes: string[]): void;
}

function initialTheme(): Theme {
  const saved = typeof localStorage !== "undefined" ? localStorage.getItem("ucsnoop.theme") : null;
  if (saved === "light" || saved === "dark") return saved;
  return typeof matchMedia !== "undefined" && matchMedia("(prefers-color-scheme: dark)").matches
    ? "dark"
    : "light";
}

export const useStore = create<State & Actions>()((set) => ({
  model: null,
  dropped: [],
  progress: [],
  parsing: false,
  partial: null,
  sample: null,
  error: null,
  selected: null,
  evidence: [],
  finding: null,
  walk: null,
  presenter: false,
  sort: null,
  query: "",
  columnFilters: {},
  order: [],
  mode: "sequence",
  laneOrder: [],
  hiddenLanes: [],
  theme: initialTheme(),
  helpOpen: false,
  exportOpen: false,
  redact: true,
  pseudonyms: false,
  snapshot: null,

  set: (patch) => set(patch),
  select: (selected) => set({ selected, evidence: [], finding: null }),
  selectEvidence: (finding, ids) => set({ finding, evidence: ids, selected: ids[0] ?? null }),
  setQuery: (query) => set({ query }),
  setColumnFilter: (column, value) =>
    set((s) => {
      const columnFilters = { ...s.columnFilters };
      if (value) columnFilters[column] = value;
      else delete columnFilters[column];
      return { columnFilters };
    }),
  toggleLane: (lane) =>
    set((s) => ({
      hiddenLanes: s.hiddenLanes.includes(lane)
        ? s.hiddenLanes.filter((l) => l !== lane)
        : [...s.hiddenLanes, lane],
    })),
  moveLane: (lane, to, lanes) =>
    set(() => {
      const order = lanes.filter((l) => l !== lane);
      order.splice(Math.max(0, Math.min(to, order.length)), 0, lane);
      return { laneOrder: order };
    }),
}));

/** The lanes in display order: the user's order first, then the model's. */
export function orderedLanes(modelLanes: string[], laneOrder: string[]): string[] {
  const known = laneOrder.filter((l) => modelLanes.includes(l));
  return [...known, ...modelLanes.filter((l) => !known.includes(l))];
}
