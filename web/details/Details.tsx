import { useEffect, useMemo, useState } from "react";
import type { RawLines } from "../../parsers/workerApi.ts";
import { dialogColor, statusClass } from "../diagram/colors.ts";
import { laneTitle, shortTime } from "../diagram/Ladder.tsx";
import { parser } from "../loader.ts";
import { logText } from "../logText.ts";
import { useStore } from "../store/index.ts";
import { prettySections, sectionText, type PrettySection } from "./pretty.ts";

function CopyButton({ text, label }: { text: string; label: string }) {
  const [done, setDone] = useState(false);
  return (
    <button
      className="copy"
      aria-label={label}
      onClick={() => {
        navigator.clipboard?.writeText(text).then(
          () => {
            setDone(true);
            setTimeout(() => setDone(false), 1200);
          },
          () => undefined,
        );
      }}
    >
      {done ? "Copied" : "Copy"}
    </button>
  );
}

function Section({ section }: { section: PrettySection }) {
  return (
    <details open className="pretty">
      <summary>
        <span>{logText(section.title)}</span>
        <CopyButton text={sectionText(section)} label={`Copy ${logText(section.title)}`} />
      </summary>
      <pre className="code">
        {section.lines.map((line, i) => (
          <div key={i} className="code-line">
            {line.length === 0
              ? "\u00a0"
              : line.map((tk, j) => (
                  <span key={j} className={`tk-${tk.kind}`}>
                    {logText(tk.text)}
                  </span>
                ))}
          </div>
        ))}
      </pre>
    </details>
  );
}

function RawRecord({ raw, lane }: { raw: RawLines; lane: string | null }) {
  const sections = useMemo(() => prettySections(raw.lines), [raw]);
  // Copy gives the lines as logged; the page shows them through logText.
  const text = raw.lines.join("\n");
  const file = logText(raw.file);
  return (
    <article className="raw" data-testid="raw-record" aria-label={`${file} line ${raw.line}`}>
      <header>
        <span className="where">
          {file}:{raw.line}
        </span>
        {lane && <span className="lane-tag">{laneTitle(lane)}</span>}
        <span className="spacer" />
        <CopyButton text={text} label={`Copy ${file} line ${raw.line}`} />
      </header>
      <pre className="code raw-lines" data-testid="raw-lines">
        {raw.lines.map((l, i) => (
          <div key={i} className="code-line">
            <span className="ln" aria-hidden="true">
              {raw.line + i}
            </span>
            <span>{logText(l) || "\u00a0"}</span>
          </div>
        ))}
      </pre>
      {sections.map((s, i) => (
        <Section key={i} section={s} />
      ))}
    </article>
  );
}

export function Details() {
  const model = useStore((s) => s.model);
  const selected = useStore((s) => s.selected);
  const m = selected !== null ? model?.messages[selected] : undefined;
  const [raw, setRaw] = useState<{ id: number; records: RawLines[] } | null>(null);

  useEffect(() => {
    if (selected === null || !model) return;
    let live = true;
    void parser()
      .raw(selected)
      .then((records) => {
        if (live) setRaw({ id: selected, records });
      });
    return () => {
      live = false;
    };
  }, [selected, model]);

  const laneOf = useMemo(() => new Map((model?.files ?? []).map((f) => [f.name, f.lane])), [model]);

  if (!m)
    return (
      <section className="pane details" aria-labelledby="details-title">
        <h2 id="details-title">Details</h2>
        <p className="muted">
          Select an arrow or a row to read its log lines. Press ? for the keyboard shortcuts.
        </p>
      </section>
    );
  const records = raw?.id === m.id ? raw.records : null;
  return (
    <section className="pane details" aria-labelledby="details-title" data-testid="details">
      <h2 id="details-title">Details</h2>
      <div className="summary">
        <div className={`summary-label ${statusClass(m)}`}>{logText(m.label)}</div>
        <dl>
          <dt>time</dt>
          <dd>{m.time ? `${m.time.slice(0, 10)} ${shortTime(m.time)} UTC` : "no time"}</dd>
          <dt>arrow</dt>
          <dd>
            {laneTitle(m.from)} → {laneTitle(m.to)}
          </dd>
          <dt>kind</dt>
          <dd>
            {m.kind}
            {m.status ? ` · status ${logText(m.status)}` : ""}
            {m.failed ? " · failed" : ""}
          </dd>
          <dt>seen by</dt>
          <dd>
            {m.seenBy.map(laneTitle).join(", ")}
            {m.seenBy.length === 1 && m.from !== m.to ? " (one side only)" : ""}
          </dd>
          {m.dialog && (
            <>
              <dt>dialog</dt>
              <dd>
                <span className="swatch" style={{ background: dialogColor(m.dialog) }} aria-hidden="true" />
                {logText(m.dialog)}
              </dd>
            </>
          )}
          {m.user && (
            <>
              <dt>user</dt>
              <dd>{logText(m.user)}</dd>
            </>
          )}
        </dl>
      </div>
      <h3>Log records ({records?.length ?? "…"})</h3>
      {records?.map((r, i) => (
        <RawRecord key={`${r.file}:${r.line}:${i}`} raw={r} lane={laneOf.get(r.file) ?? null} />
      ))}
    </section>
  );
}
