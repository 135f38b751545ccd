import type { ModelJson } from "../../parsers/model/json.ts";
import { useStore, type Walk } from "../store/index.ts";

/**
 * Walkthrough (classroom mode) as store operations: the keyboard table, the buttons and the URL
 * hash all go through these. A step is an index into the session's messages, in order.
 */
type Session = ModelJson["sessions"][number];

/** The session to start on: the first with messages (sessions are in time order). */
export function defaultSession(model: ModelJson | null): number {
  const i = model?.sessions.findIndex((s) => s.messages.length > 0) ?? -1;
  return Math.max(0, i);
}

export function clampWalk(model: ModelJson | null, walk: Walk): Walk {
  const sessions = model?.sessions ?? [];
  const session = Math.max(0, Math.min(sessions.length - 1, walk.session));
  const count = sessions[session]?.messages.length ?? 0;
  return { session, step: Math.max(0, Math.min(count - 1, walk.step)) };
}

export function currentSession(): Session | undefined {
  const s = useStore.getState();
  return s.walk ? s.model?.sessions[s.walk.session] : undefined;
}

export function startWalk(session?: number): void {
  const s = useStore.getState();
  if (!s.model?.sessions.length) return;
  const walk = clampWalk(s.model, {
    session: session ?? s.walk?.session ?? defaultSession(s.model),
    step: 0,
  });
  const id = s.model.sessions[walk.session]?.messages[0] ?? null;
  s.set({ walk, selected: id, evidence: [], finding: null, helpOpen: false });
}

export function leaveWalk(): void {
  useStore.getState().set({ walk: null, presenter: false });
}

export function toggleWalk(): void {
  if (useStore.getState().walk) leaveWalk();
  else startWalk();
}

export function goToStep(step: number): void {
  const s = useStore.getState();
  if (!s.walk || !s.model) return;
  const walk = clampWalk(s.model, { session: s.walk.session, step });
  const id = s.model.sessions[walk.session]?.messages[walk.step] ?? null;
  if (walk.step === s.walk.step && id === s.selected) return;
  s.set({ walk, selected: id, evidence: [], finding: null });
}

export function stepWalk(delta: number): void {
  const walk = useStore.getState().walk;
  if (walk) goToStep(walk.step + delta);
}

/** Jump to the first message of a phase of the current session. */
export function goToPhase(phaseId: string): void {
  const session = currentSession();
  const phase = session?.phases.find((p) => p.id === phaseId);
  const first = phase?.messages[0];
  if (!session || first === undefined) return;
  const step = session.messages.indexOf(first);
  if (step >= 0) goToStep(step);
}

export function togglePresenter(): void {
  const s = useStore.getState();
  if (!s.walk) startWalk();
  useStore.getState().set({ presenter: !s.presenter });
}
