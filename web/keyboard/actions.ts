import { useStore, type State } from "../store/index.ts";
import { leaveWalk, stepWalk, togglePresenter, toggleWalk } from "../walkthrough/walk.ts";

/**
 * Keyboard actions as data: the key handler and the shortcut list (the ? dialog) read this
 * one table, so a shortcut cannot exist without being listed.
 */
export interface Action {
  id: string;
  /** Keys as KeyboardEvent.key values. */
  keys: string[];
  label: string;
  /** Whether it also runs while typing in a field. */
  inFields?: boolean;
  /** When it applies (default: always); a key whose action does not apply does its usual thing. */
  enabled?: () => boolean;
  perform(): void;
}

type Get = () => State & { set(p: Partial<State>): void; select(id: number | null): void };
const get: Get = () => useStore.getState();

/** The id `step` places from the selection along `order` (the table's rows), clamped. */
export function stepIn(order: number[], selected: number | null, step: number): number | null {
  if (!order.length) return null;
  const at = selected === null ? -1 : order.indexOf(selected);
  if (at < 0) return step > 0 ? (order[0] ?? null) : (order[order.length - 1] ?? null);
  return order[Math.max(0, Math.min(order.length - 1, at + step))] ?? null;
}

function stepDialog(step: number) {
  const s = get();
  const messages = s.model?.messages ?? [];
  const current = s.selected !== null ? messages[s.selected] : undefined;
  if (!current?.dialog) return;
  const order = (s.order.length ? s.order : messages.map((m) => m.id)).filter(
    (id) => messages[id]?.dialog === current.dialog,
  );
  const next = stepIn(order, s.selected, step);
  if (next !== null) s.select(next);
}

function step(stepBy: number) {
  const s = get();
  const next = stepIn(
    s.order.length ? s.order : (s.model?.messages ?? []).map((m) => m.id),
    s.selected,
    stepBy,
  );
  if (next !== null) s.select(next);
}

export const ACTIONS: Action[] = [
  { id: "next", keys: ["j", "ArrowDown"], label: "Next message", perform: () => step(1) },
  { id: "previous", keys: ["k", "ArrowUp"], label: "Previous message", perform: () => step(-1) },
  {
    id: "next-in-dialog",
    keys: ["n"],
    label: "Next message of the same dialog",
    perform: () => stepDialog(1),
  },
  {
    id: "previous-in-dialog",
    keys: ["p"],
    label: "Previous message of the same dialog",
    perform: () => stepDialog(-1),
  },
  {
    id: "search",
    keys: ["/"],
    label: "Search messages",
    perform: () => document.querySelector<HTMLInputElement>("#search")?.focus(),
  },
  {
    id: "mode",
    keys: ["t"],
    label: "Switch between sequence and time spacing",
    perform: () => get().set({ mode: get().mode === "time" ? "sequence" : "time" }),
  },
  {
    id: "theme",
    keys: ["L"],
    label: "Switch between light and dark theme",
    perform: () => get().set({ theme: get().theme === "dark" ? "light" : "dark" }),
  },
  {
    id: "walkthrough",
    keys: ["w"],
    label: "Start or leave the walkthrough (classroom mode)",
    perform: toggleWalk,
  },
  {
    id: "walk-next",
    keys: ["ArrowRight", " "],
    label: "Walkthrough: next step",
    enabled: () => get().walk !== null,
    perform: () => stepWalk(1),
  },
  {
    id: "walk-previous",
    keys: ["ArrowLeft"],
    label: "Walkthrough: previous step",
    enabled: () => get().walk !== null,
    perform: () => stepWalk(-1),
  },
  {
    id: "presenter",
    keys: ["P"],
    label: "Presenter mode: large type, high contrast, no chrome (starts the walkthrough)",
    perform: togglePresenter,
  },
  {
    id: "export-snapshot",
    keys: ["e"],
    label: "Export snapshot: one offline HTML file of this trace",
    enabled: () => get().model !== null && !get().exportOpen,
    perform: () => get().set({ exportOpen: true }),
  },
  { id: "help", keys: ["?"], label: "Show these shortcuts", perform: () => get().set({ helpOpen: true }) },
  {
    id: "walk-leave",
    keys: ["Escape"],
    label: "Leave the walkthrough",
    enabled: () => get().walk !== null && !get().helpOpen && !get().exportOpen,
    perform: leaveWalk,
  },
  {
    id: "close",
    keys: ["Escape"],
    label: "Close the shortcut list or the export dialog, leave the search field, or clear the selection",
    inFields: true,
    perform: () => {
      const s = get();
      const active = document.activeElement as HTMLElement | null;
      if (s.helpOpen) s.set({ helpOpen: false });
      else if (s.exportOpen) s.set({ exportOpen: false });
      else if (active && /^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName)) active.blur();
      else s.set({ selected: null });
    },
  },
];

function inField(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (/^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName) || el.isContentEditable);
}

export function handleKey(e: KeyboardEvent): void {
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  const field = inField(e.target);
  const action = ACTIONS.find(
    (a) => a.keys.includes(e.key) && (a.enabled?.() ?? true) && (!field || a.inFields),
  );
  if (!action) return;
  // Arrow keys scroll a focused list or the page elsewhere; j/k are ours everywhere.
  if (
    (e.key === "ArrowDown" || e.key === "ArrowUp") &&
    !(e.target as HTMLElement)?.closest?.(".ladder, .message-table")
  )
    return;
  e.preventDefault();
  action.perform();
}
