import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { buildModel, type BuildOptions, type Model } from "../parsers/model/build.ts";
import { ingestBytes } from "../parsers/model/parseBytes.ts";
import { Store } from "../parsers/model/store.ts";

/** Files of the given paths, folders walked recursively, in a stable order. */
export function listFiles(paths: string[]): { path: string; name: string }[] {
  const out: { path: string; name: string }[] = [];
  for (const p of paths) {
    const st = statSync(p);
    if (st.isDirectory()) {
      const walk = (dir: string) => {
        for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
          a.name.localeCompare(b.name),
        )) {
          const full = join(dir, entry.name);
          if (entry.isDirectory()) walk(full);
          else if (entry.isFile()) out.push({ path: full, name: relative(p, full) });
        }
      };
      walk(p);
    } else out.push({ path: p, name: basename(p) });
  }
  return out;
}

/** Parse files from disk into a store and build the model: what the CLI and the bundle tests run. */
export function loadPaths(
  paths: string[],
  options: BuildOptions = {},
  chunkSize = 1 << 20,
): { store: Store; model: Model } {
  const store = new Store();
  for (const f of listFiles(paths)) {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(readFileSync(f.path));
    } catch (err) {
      const info = store.addFile(f.name, 0);
      info.errors.push(`cannot read: ${(err as Error).message}`);
      continue;
    }
    ingestBytes(store, f.name, bytes, {}, chunkSize);
  }
  return { store, model: buildModel(store, options) };
}
