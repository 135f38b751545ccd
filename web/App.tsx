import { useEffect, useMemo, useRef, useState } from "react";
import type { ModelJson } from "../parsers/model/json.ts";
import { ClockPane } from "./clock/ClockPane.tsx";
import { Details } from "./details/Details.tsx";
import { Ladder } from "./diagram/Ladder.tsx";
import { DropZone } from "./files/DropZone.tsx";
import { FilePane } from "./files/FilePane.tsx";
import { filesFromInput } from "./files/readDrop.ts";
import { syncHash } from "./hash.ts";
import { handleKey } from "./keyboard/actions.ts";
import { Help } from "./keyboard/Help.tsx";
import { FindingsPane } from "./findings/FindingsPane.tsx";
import { loadSample, openFiles, openSnapshot, parser, startQueries, startupFinished } from "./loader.ts";
import { embeddedSnapshot, hasEmbeddedSnapshot } from "./share/embedded.ts";
import { ExportDialog } from "./share/ExportDialog.tsx";
import { ExportMenu } from "./share/ExportMenu.tsx";
import { sampleIndex, type SampleIndex } from "./samples.ts";
import { useStore } from "./store/index.ts";
import { MessageTable } from "./table/MessageTable.tsx";
import { isBadRegex } from "../parsers/query.ts";
import { toggleWalk } from "./walkthrough/walk.ts";
import { Walkthrough } from "./walkthrough/Walkthrough.tsx";

declare global {
  interface Window {
    ucsnoop?: {
      whenIdle(): Promise<void>;
      /** The worker's model, cloned whole: for tests on small bundles. */
      model(): Promise<ModelJson>;
      /** Messages of the model the page shows (no copy: the benchmark's count). */
      shownMessages(): number;
      /**
       * For e2e/tallTable.spec.ts, the table at 2 million rows that no test can afford to parse:
       * shows these messages in place of the page's, the selection cleared. The worker keeps its
       * model (raw lines, search and sort still answer for it).
       */
      showMessages(messages: ModelJson["messages"]): void;
    };
  }
}

function Header({ index }: { index: SampleIndex | null }) {
  const sample = useStore((s) => s.sample);
  const query = useStore((s) => s.query);
  const setQuery = useStore((s) => s.setQuery);
  const theme = useStore((s) => s.theme);
  const set = useStore((s) => s.set);
  const walking = useStore((s) => s.walk !== null);
  const snapshot = useStore((s) => s.snapshot);
  const input = useRef<HTMLInputElement>(null);
  return (
    <header className="app-header">
      <h1>
        <span className="logo" aria-hidden="true" />
        ucsnoop
      </h1>
      <button className="primary" onClick={() => input.current?.click()}>
        Open logs
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        data-testid="file-input"
        aria-label="Open log files"
        onChange={(e) => {
          const files = filesFromInput(e.target.files);
          e.target.value = "";
          void openFiles(files, true);
        }}
      />
      {snapshot && (
        <span
          className="snapshot-badge"
          data-testid="snapshot-badge"
          title="This page is a snapshot: the trace is stored in the file"
        >
          Snapshot{snapshot.redacted ? " · redacted" : " · not redacted"}
          {snapshot.pseudonyms ? " · pseudonyms" : ""}
        </span>
      )}
      {(index?.bundles.length ?? 0) > 0 && (
        <label className="sample-picker">
          <span>Sample</span>
          <select
            aria-label="Sample bundle"
            data-testid="sample-picker"
            value={sample ?? ""}
            onChange={(e) => {
              if (e.target.value) void loadSample(e.target.value);
            }}
          >
            {sample === null && <option value="">(your files)</option>}
            {index?.bundles.map((b) => (
              <option key={b.id} value={b.id}>
                {b.title}
              </option>
            ))}
          </select>
        </label>
      )}
      <label className="search">
        <span className="visually-hidden">Search messages</span>
        <input
          id="search"
          type="search"
          placeholder="Search  (/ · text or /regex/)"
          aria-label="Search messages (text or /regex/)"
          data-testid="search"
          className={isBadRegex(query) ? "bad" : ""}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") (e.target as HTMLInputElement).blur();
          }}
        />
      </label>
      <span className="spacer" />
      <ExportMenu />
      <button
        onClick={toggleWalk}
        aria-pressed={walking}
        title="Walkthrough: step through a login (w)"
        data-testid="walkthrough-toggle"
        className={walking ? "on" : ""}
      >
        Walkthrough
      </button>
      <button
        onClick={() => set({ helpOpen: true })}
        aria-label="Keyboard shortcuts"
        title="Keyboard shortcuts (?)"
      >
        ?
      </button>
      <button
        onClick={() => set({ theme: theme === "dark" ? "light" : "dark" })}
        aria-label={`Switch to ${theme === "dark" ? "light" : "dark"} theme`}
        title="Theme"
      >
        {theme === "dark" ? "☀" : "☾"}
      </button>
    </header>
  );
}

export function App() {
  const [index, setIndex] = useState<SampleIndex | null>(null);
  const theme = useStore((s) => s.theme);
  const walking = useStore((s) => s.walk !== null);
  const presenter = useStore((s) => s.presenter && s.walk !== null);
  // A snapshot has no files to parse again: its file and clock controls are read-only.
  const readOnly = useStore((s) => s.snapshot !== null);
  const order = useStore((s) => s.order);
  const filtering = useStore((s) => s.query !== "" || Object.keys(s.columnFilters).length > 0);
  const matching = useMemo(() => (filtering ? new Set(order) : null), [filtering, order]);
  parser();

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    localStorage.setItem("ucsnoop.theme", theme);
  }, [theme]);

  useEffect(() => {
    const stop = syncHash();
    const stopQueries = startQueries();
    window.addEventListener("keydown", handleKey);
    let live = true;
    if (hasEmbeddedSnapshot()) {
      // A snapshot opens its own data, not a sample.
      void openSnapshot(embeddedSnapshot()!).finally(() => live && startupFinished());
      void sampleIndex().then(
        (i) => live && setIndex(i),
        () => undefined,
      );
    } else
      void sampleIndex()
        .then((i) => {
          if (!live) return;
          setIndex(i);
          if (!i.bundles.length) return;
          const requested = new URLSearchParams(location.search).get("sample");
          const id = requested && i.bundles.some((b) => b.id === requested) ? requested : i.default;
          return loadSample(id, true);
        })
        .catch((err: Error) =>
          useStore.getState().set({ error: `cannot read the sample index: ${err.message}` }),
        )
        .finally(() => {
          if (live) startupFinished();
        });
    return () => {
      live = false;
      stop();
      stopQueries();
      window.removeEventListener("keydown", handleKey);
    };
  }, []);

  return (
    <div className={`app${walking ? " walking" : ""}${presenter ? " presenter" : ""}`}>
      {!presenter && <Header index={index} />}
      <main className="layout">
        {!walking && (
          <aside className="left" aria-label="Files, findings and clocks">
            <fieldset className="plain" disabled={readOnly}>
              <FilePane />
            </fieldset>
            <FindingsPane />
            <fieldset className="plain" disabled={readOnly}>
              <ClockPane />
            </fieldset>
          </aside>
        )}
        <div className="centre">
          <Ladder matching={matching} />
          {!presenter && <MessageTable />}
        </div>
        {walking ? (
          <Walkthrough />
        ) : (
          <aside className="right" aria-label="Details">
            <Details />
          </aside>
        )}
      </main>
      <DropZone />
      <Help />
      <ExportDialog />
    </div>
  );
}
