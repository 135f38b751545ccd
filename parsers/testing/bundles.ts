import { readFileSync } from "node:fs";
import { buildModel, type BuildOptions } from "../model/build.ts";
import { toJson, type ModelJson } from "../model/json.ts";
import { ingestBytes } from "../model/parseBytes.ts";
import { Store } from "../model/store.ts";
import { pastHead, readSample, samplePath } from "./sourceHarness.ts";

/** A built-in sample bundle, parsed and correlated as the page and the CLI do it. */
export function loadBundle(
  id: string,
  chunkSize = 1 << 20,
  options: BuildOptions = {},
  /** Each file repeated past the detection head (pastHead), so that chunk sizes matter. */
  repeated = false,
): { store: Store; json: ModelJson } {
  const manifest: { files: string[] } = JSON.parse(readFileSync(samplePath(`${id}/bundle.json`), "utf8"));
  const store = new Store();
  for (const name of manifest.files) {
    const bytes = readSample(`${id}/${name}`);
    ingestBytes(store, name, repeated ? pastHead(bytes) : bytes, {}, chunkSize);
  }
  return { store, json: toJson(buildModel(store, options)) };
}

/** "from->to label" of each message: the shape the seeds narrate. */
export function arrows(json: ModelJson): string[] {
  return json.messages.map((m) => `${m.from}->${m.to} ${m.label}`);
}

/** Positions of `wanted` in `all`, in order, each after the previous; throws naming the first one missing. */
export function inOrder(all: string[], wanted: string[]): number[] {
  const at: number[] = [];
  let from = 0;
  for (const w of wanted) {
    const i = all.indexOf(w, from);
    if (i < 0) throw new Error(`"${w}" not found after position ${from - 1} in:\n${all.join("\n")}`);
    at.push(i);
    from = i + 1;
  }
  return at;
}
