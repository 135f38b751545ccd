import { SNAPSHOT_SCRIPT_ID } from "../../parsers/share/snapshot.ts";

/**
 * The single-file viewer knows its own HTML: read once at startup, before the page renders
 * into it, without the data block (a snapshot of a snapshot carries only the new data). The
 * served page has no such copy and fetches the single-file viewer built alongside it.
 */
let ownHtml: string | null = null;
let embedded: string | null = null;

export const SINGLE_FILE = import.meta.env.MODE === "single";

/** Call before the first render: takes the data block out of the page, and the page's HTML. */
export function takeEmbedded(): void {
  const block = document.getElementById(SNAPSHOT_SCRIPT_ID);
  embedded = block?.textContent?.trim() || null;
  block?.remove();
  if (SINGLE_FILE) {
    const html = `<!doctype html>\n${document.documentElement.outerHTML}`;
    ownHtml = html;
  }
}

/** The snapshot data this page was opened with, once (null for a viewer without data). */
export function embeddedSnapshot(): string | null {
  const e = embedded;
  embedded = null;
  return e;
}

export function hasEmbeddedSnapshot(): boolean {
  return embedded !== null;
}

/** The single-file viewer's HTML, without data. */
export async function viewerHtml(): Promise<string> {
  if (ownHtml) return ownHtml;
  const res = await fetch("./ucsnoop.html");
  if (!res.ok) throw new Error(`the single-file viewer (ucsnoop.html) is missing: ${res.status}`);
  const html = await res.text();
  // The dev server answers any path with its index page: only the built viewer will do.
  if (!/default-src (?:'|&#39;)none/.test(html))
    throw new Error("the single-file viewer is not built here: run `npm run build` and serve dist/");
  return html;
}
