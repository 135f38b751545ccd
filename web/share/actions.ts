import { embedSnapshot } from "../../parsers/share/snapshot.ts";
import { parser } from "../loader.ts";
import { useStore } from "../store/index.ts";
import { download, fileName } from "./download.ts";
import { viewerHtml } from "./embedded.ts";
import { ladderSvg, svgToPng } from "./svg.ts";
import { currentView } from "./view.ts";

export type PageExport = "svg" | "png" | "mermaid" | "plantuml" | "csv";

export const PAGE_EXPORTS: { id: PageExport; label: string; ext: string; type: string }[] = [
  { id: "svg", label: "Diagram as SVG", ext: "svg", type: "image/svg+xml" },
  { id: "png", label: "Diagram as PNG", ext: "png", type: "image/png" },
  { id: "mermaid", label: "Ladder as Mermaid", ext: "mmd", type: "text/plain" },
  { id: "plantuml", label: "Ladder as PlantUML", ext: "puml", type: "text/plain" },
  { id: "csv", label: "Table as CSV", ext: "csv", type: "text/csv" },
];

/** What the open model is called in file names: the sample, or the first file's name. */
export function exportStem(): string {
  const s = useStore.getState();
  return s.sample ?? s.model?.files[0]?.name ?? "trace";
}

/** The ids the table shows when a search or a column filter is on; null when every message is. */
function filteredIds(): number[] | null {
  const s = useStore.getState();
  const filtering = s.query.trim() !== "" || Object.values(s.columnFilters).some((v) => v.trim());
  return filtering ? s.order : null;
}

function redaction() {
  const s = useStore.getState();
  return { redact: s.redact, pseudonyms: s.pseudonyms };
}

/** One HTML file: the single-file viewer with the open model, its raw lines and the view. */
export async function exportSnapshot(name: string): Promise<void> {
  const c = parser();
  await c.hold(
    (async () => {
      const [encoded, html] = await Promise.all([c.exportSnapshot(currentView(), redaction()), viewerHtml()]);
      const file = /\.html?$/i.test(name) ? name : `${name}.html`;
      download(file, new Blob([embedSnapshot(html, encoded)], { type: "text/html" }));
    })(),
  );
}

export async function exportAs(format: PageExport): Promise<void> {
  const s = useStore.getState();
  const model = s.model;
  if (!model) return;
  const spec = PAGE_EXPORTS.find((e) => e.id === format)!;
  const name = fileName(exportStem(), spec.ext);
  const ids = filteredIds();
  const c = parser();
  await c.hold(
    (async () => {
      try {
        if (format === "svg" || format === "png") {
          const { svg, width, height } = ladderSvg(model, ids ? new Set(ids) : null, redaction());
          const blob =
            format === "svg" ? new Blob([svg], { type: spec.type }) : await svgToPng(svg, width, height);
          download(name, blob);
          return;
        }
        const text = await c.exportText(format, ids, redaction());
        download(name, new Blob([text], { type: `${spec.type};charset=utf-8` }));
      } catch (err) {
        useStore.getState().set({ error: `export failed: ${(err as Error).message}` });
      }
    })(),
  );
}
