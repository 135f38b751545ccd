import type { DroppedFile } from "../parsers/workerApi.ts";

export interface SampleIndex {
  default: string;
  bundles: { id: string; title: string }[];
}

const base = `${import.meta.env.BASE_URL}samples`;

/** The single-file viewer carries no samples (and may fetch nothing): its picker hides. */
export async function sampleIndex(): Promise<SampleIndex> {
  if (import.meta.env.MODE === "single") return { default: "", bundles: [] };
  return (await fetch(`${base}/index.json`)).json();
}

/** A built-in bundle's files, fetched from this page's own origin. */
export async function sampleFiles(id: string): Promise<DroppedFile[]> {
  const bundle: { files: string[] } = await (await fetch(`${base}/${id}/bundle.json`)).json();
  return Promise.all(
    bundle.files.map(async (name) => ({ name, blob: await (await fetch(`${base}/${id}/${name}`)).blob() })),
  );
}
