import { useState } from "react";
import type { ModelJson } from "../../parsers/model/json.ts";
import { logText } from "../logText.ts";
import { useStore } from "../store/index.ts";
import { formatSize } from "../files/FilePane.tsx";

export type Finding = ModelJson["findings"][number];

const ICONS: Record<string, string> = { error: "✖", warning: "⚠", info: "ℹ" };
const SEVERITY_NAMES: Record<string, string> = { error: "Error", warning: "Warning", info: "Note" };

export function severityIcon(severity: string): string {
  return ICONS[severity] ?? "•";
}

export function severityName(severity: string): string {
  return SEVERITY_NAMES[severity] ?? severity;
}

const RANK: Record<string, number> = { error: 0, warning: 1, info: 2 };

/** The finding a message is evidence of, the most severe first: what its diagram marker shows. */
export function findingsByMessage(findings: Finding[]): Map<number, Finding> {
  const out = new Map<number, Finding>();
  for (const f of findings)
    for (const id of f.evidence) {
      const had = out.get(id);
      if (!had || (RANK[f.severity] ?? 3) < (RANK[had.severity] ?? 3)) out.set(id, f);
    }
  return out;
}

function FindingItem({ f: finding, index }: { f: Finding; index: number }) {
  const f = shownFinding(finding);
  const active = useStore((s) => s.finding === f.id);
  const selectEvidence = useStore((s) => s.selectEvidence);
  const [open, setOpen] = useState(false);
  const bodyId = `finding-body-${index}`;
  return (
    <li
      className={`finding sev-${f.severity}${active ? " active" : ""}`}
      data-testid="finding"
      data-finding={f.id}
    >
      <div className="finding-head">
        <button
          className="finding-title"
          aria-label={`${severityName(f.severity)}: ${f.title}. Select its evidence`}
          aria-pressed={active}
          onClick={() => {
            selectEvidence(f.id, f.evidence);
            setOpen(true);
          }}
        >
          <span className={`severity ${f.severity}`} aria-hidden="true">
            {severityIcon(f.severity)}
          </span>
          <span>{f.title}</span>
        </button>
        <button
          className="icon expand"
          aria-expanded={open}
          aria-controls={bodyId}
          aria-label={`${open ? "Collapse" : "Expand"} ${f.title}`}
          onClick={() => setOpen(!open)}
        >
          {open ? "▾" : "▸"}
        </button>
      </div>
      {open && (
        <div className="finding-body" id={bodyId} data-testid="finding-body">
          <p className="explanation">{f.explanation}</p>
          <p className="fix">
            <strong>Fix: </strong>
            {f.fix}
          </p>
          <div className="evidence-lines">
            <span className="muted">Evidence</span>
            <ul aria-label={`Evidence of ${f.title}`}>
              {f.lines.map((l, i) => (
                <li key={i} data-testid="evidence-line">
                  {logText(l.file)}:{l.line}
                </li>
              ))}
            </ul>
          </div>
        </div>
      )}
    </li>
  );
}

/**
 * A finding's words as the page shows them: the explanation quotes the labels it saw ("Seen:
 * 403 ..."), which are log text.
 */
function shownFinding(f: Finding): Finding {
  return { ...f, title: logText(f.title), explanation: logText(f.explanation), fix: logText(f.fix) };
}

export function FindingsPane() {
  const findings = useStore((s) => s.model?.findings ?? null);
  const partial = useStore((s) => s.partial);
  if (!findings) return null;
  return (
    <section className="pane findings-pane" aria-labelledby="findings-title" data-testid="findings">
      <h2 id="findings-title">
        Findings <span className="count muted">{findings.length}</span>
      </h2>
      {partial && (
        // A reply in a file not read yet can still answer what looks unanswered here.
        <p className="muted partial-note" data-testid="partial-note" role="status">
          Still reading: the ladder and findings so far are of the first {formatSize(partial.bytesRead)} of{" "}
          {formatSize(partial.bytes)} ({partial.filesRead} of {partial.files} files read whole).
        </p>
      )}
      {findings.length === 0 && !partial ? (
        <p className="muted" data-testid="no-findings">
          No known failure found in these logs.
        </p>
      ) : (
        <ul className="finding-list" aria-label="Findings">
          {findings.map((f, i) => (
            <FindingItem key={`${f.id}:${i}`} f={f} index={i} />
          ))}
        </ul>
      )}
    </section>
  );
}
