import { useEffect, useMemo, useState } from "react";
import { FLOW_BY_ID, narrate } from "../../parsers/knowledge/phases.ts";
import type { RawLines } from "../../parsers/workerApi.ts";
import { statusClass } from "../diagram/colors.ts";
import { laneTitle, shortTime } from "../diagram/Ladder.tsx";
import { parser } from "../loader.ts";
import { clip, logText } from "../logText.ts";
import { useStore } from "../store/index.ts";
import { goToPhase, goToStep, leaveWalk, startWalk, stepWalk, togglePresenter } from "./walk.ts";

function flowTitle(flow: string): string {
  return FLOW_BY_ID.get(flow)?.title ?? (flow === "unknown" ? "unknown flow" : flow);
}

/** The raw log records behind one step, read from the worker. */
function useRaw(id: number | null): RawLines[] | null {
  const model = useStore((s) => s.model);
  const [raw, setRaw] = useState<{ id: number; records: RawLines[] } | null>(null);
  useEffect(() => {
    if (id === null || !model) return;
    let live = true;
    void parser()
      .raw(id)
      .then((records) => {
        if (live) setRaw({ id, records });
      });
    return () => {
      live = false;
    };
  }, [id, model]);
  return raw && raw.id === id ? raw.records : null;
}

/**
 * Classroom mode: one session, one message at a time, with its phase, a narration of what
 * happens and why, and the raw lines. Replaces the side panes; presenter mode enlarges it.
 */
export function Walkthrough() {
  const model = useStore((s) => s.model);
  const walk = useStore((s) => s.walk);
  const selected = useStore((s) => s.selected);
  const presenter = useStore((s) => s.presenter);
  const session = walk ? model?.sessions[walk.session] : undefined;
  const id = session?.messages[walk?.step ?? 0] ?? null;
  const m = id !== null ? model?.messages[id] : undefined;

  // The step drives the selection (highlighted and scrolled into view in the ladder) ...
  useEffect(() => {
    if (id !== null && useStore.getState().selected !== id) useStore.getState().select(id);
  }, [id]);
  // ... and an arrow of the session clicked in the ladder becomes the step.
  useEffect(() => {
    if (selected === null || !session || !walk) return;
    const at = session.messages.indexOf(selected);
    if (at >= 0 && at !== walk.step) goToStep(at);
  }, [selected]);

  const narration = useMemo(() => (model && id !== null ? narrate(model, id) : ""), [model, id]);
  const raw = useRaw(id);

  if (!model || !walk || !session)
    return (
      <aside className="walk-card" aria-label="Walkthrough">
        <p className="muted">No login session in these logs to walk through.</p>
        <button onClick={leaveWalk}>Leave the walkthrough</button>
      </aside>
    );

  const phase = session.phases.find((p) => p.id === m?.phase);
  const count = session.messages.length;
  return (
    <aside
      className={`walk-card${presenter ? " presenting" : ""}`}
      aria-label="Walkthrough"
      data-testid="walkthrough"
    >
      <div className="walk-top">
        <h2>Walkthrough</h2>
        <span className="spacer" />
        <button
          onClick={togglePresenter}
          aria-pressed={presenter}
          title="Presenter mode (Shift+P)"
          data-testid="presenter-toggle"
        >
          {presenter ? "Exit presenter" : "Presenter"}
        </button>
        <button onClick={leaveWalk} aria-label="Leave the walkthrough" title="Leave (Esc)">
          ×
        </button>
      </div>
      <label className="walk-session">
        <span>Session</span>
        <select
          aria-label="Session to walk through"
          data-testid="walk-session"
          value={walk.session}
          onChange={(e) => startWalk(Number(e.target.value))}
        >
          {model.sessions.map((s, i) => (
            <option key={i} value={i}>
              {`${s.user !== null ? clip(logText(s.user), 80) : "unknown user"} · ${flowTitle(s.flow)} · ${s.outcome} (${s.messages.length})`}
            </option>
          ))}
        </select>
      </label>
      <ol className="phase-list" aria-label={`Phases of the ${flowTitle(session.flow)}`}>
        {session.phases.map((p) => {
          const current = p.id === m?.phase;
          const stopped = session.stoppedAt === p.id;
          // A successful login's logs can simply end before a phase: not a failure.
          const ended = stopped && session.outcome === "success";
          return (
            <li
              key={p.id}
              className={`${p.reached ? "reached" : "not-reached"}${current ? " current" : ""}${stopped ? (ended ? " ended" : " stopped") : ""}`}
              data-testid="walk-phase-item"
              data-phase={p.id}
            >
              <button
                disabled={!p.messages.length}
                aria-current={current ? "step" : undefined}
                onClick={() => goToPhase(p.id)}
                aria-label={`${p.title}: ${p.reached ? "reached" : "not reached"}${stopped ? (ended ? ", the logs end before it" : ", the login stopped here") : ""}${p.messages.length ? ". Jump to it" : ""}`}
              >
                <span className="phase-mark" aria-hidden="true">
                  {stopped && !ended ? "✖" : p.reached ? "✓" : "○"}
                </span>
                <span className="phase-name">{p.title}</span>
                {stopped && <span className="phase-stop">{ended ? "logs end here" : "stopped here"}</span>}
              </button>
            </li>
          );
        })}
      </ol>
      {m && (
        <div className="walk-step" data-testid="walk-step" aria-live="polite" key={m.id}>
          <div className="step-count muted">
            Step {walk.step + 1} of {count}
          </div>
          <h3 className="step-phase" data-testid="walk-phase">
            {phase?.title ?? "Outside the flow's phases"}
          </h3>
          <div className={`step-arrow ${statusClass(m)}`}>
            <span className="step-time">{shortTime(m.time)}</span>{" "}
            {m.from === m.to ? laneTitle(m.from) : `${laneTitle(m.from)} → ${laneTitle(m.to)}`}:{" "}
            <strong>{logText(m.label)}</strong>
          </div>
          <p className="narration" data-testid="narration">
            {logText(narration)}
          </p>
          <div className="walk-evidence" aria-label="Evidence">
            {raw === null && <p className="muted">reading the log lines…</p>}
            {raw?.map((r, i) => (
              <div key={i} className="walk-raw" data-testid="walk-raw">
                <div className="where">
                  {logText(r.file)}:{r.line}
                </div>
                <pre>{logText(r.lines.filter((l) => l.trim()).join("\n"))}</pre>
              </div>
            ))}
          </div>
        </div>
      )}
      <div className="walk-nav">
        <button onClick={() => stepWalk(-1)} disabled={walk.step === 0} aria-label="Previous step">
          ← Previous
        </button>
        <span className="muted">
          {walk.step + 1} / {count}
        </span>
        <button
          className="primary"
          onClick={() => stepWalk(1)}
          disabled={walk.step >= count - 1}
          aria-label="Next step"
        >
          Next →
        </button>
      </div>
    </aside>
  );
}
