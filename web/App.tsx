import { useEffect, useRef, useState } from "react";
import type { ModelJson } from "../parsers/model/json.ts";
import { ladderText } from "../parsers/model/json.ts";
import { ParserClient } from "./parser.ts";
import { sampleFiles, sampleIndex, type SampleIndex } from "./samples.ts";

declare global {
  interface Window {
    ucsnoop?: { whenIdle(): Promise<void>; model(): Promise<ModelJson> };
  }
}

export function App() {
  const client = useRef<ParserClient | null>(null);
  const [index, setIndex] = useState<SampleIndex | null>(null);
  const [bundle, setBundle] = useState<string>("");
  const [model, setModel] = useState<ModelJson | null>(null);
  const [status, setStatus] = useState("");

  if (!client.current) {
    client.current = new ParserClient();
    const c = client.current;
    window.ucsnoop = { whenIdle: () => c.whenIdle(), model: () => c.model() };
  }

  const load = async (files: Awaited<ReturnType<typeof sampleFiles>>) => {
    const c = client.current!;
    await c.reset();
    setStatus(`parsing ${files.length} file(s)…`);
    const m = await c.addFiles(files, (p) => setStatus(`${p.file}: ${p.bytesRead} of ${p.size} bytes`));
    setModel(m);
    setStatus("");
  };

  useEffect(() => {
    sampleIndex().then((i) => {
      setIndex(i);
      const id = new URLSearchParams(location.search).get("sample") ?? i.default;
      setBundle(id);
      sampleFiles(id).then(load);
    });
  }, []);

  return (
    <div className="app">
      <header>
        <h1>ucsnoop</h1>
        <label>
          Sample{" "}
          <select
            value={bundle}
            onChange={(e) => {
              setBundle(e.target.value);
              sampleFiles(e.target.value).then(load);
            }}
          >
            {index?.bundles.map((b) => (
              <option key={b.id} value={b.id}>
                {b.title}
              </option>
            ))}
          </select>
        </label>
        <label>
          Open logs{" "}
          <input
            type="file"
            multiple
            data-testid="file-input"
            onChange={(e) => {
              const files = [...(e.target.files ?? [])].map((f) => ({ name: f.name, blob: f as Blob }));
              if (files.length) load(files);
            }}
          />
        </label>
        <span role="status">{status}</span>
      </header>
      <main>
        <section aria-label="Files">
          <h2>Files</h2>
          <table>
            <thead>
              <tr>
                <th>file</th>
                <th>source</th>
                <th>lane</th>
                <th>host</th>
                <th>records</th>
                <th>unparsed</th>
                <th>warnings</th>
              </tr>
            </thead>
            <tbody>
              {model?.files.map((f) => (
                <tr key={f.name} data-testid="file">
                  <td>{f.name}</td>
                  <td>{f.source}</td>
                  <td>{f.lane ?? "-"}</td>
                  <td>{f.host ?? "-"}</td>
                  <td>{f.records}</td>
                  <td>{f.unparsedLines}</td>
                  <td>{[...f.errors, ...f.warnings].join("; ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section aria-label="Ladder">
          <h2>Ladder</h2>
          <pre data-testid="ladder-text">{model ? ladderText(model).join("\n") : ""}</pre>
        </section>
      </main>
    </div>
  );
}
