import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundlePaths, generate } from "../bench/gen.ts";
import { toJson } from "../parsers/model/json.ts";
import { loadPaths, type Loaded } from "./load.ts";
import { loadPathsInParallel } from "./parallel.ts";

const root = mkdtempSync(join(tmpdir(), "ucsnoop-parallel-"));
let paths: string[];
let alone: Loaded;

beforeAll(() => {
  generate({ out: join(root, "bundle"), sessions: 300, seed: 3 });
  // Beside the logs: an archive of one (read where the model is), and 300 KB of binary that no
  // source takes (parsed on a thread like any big file, and refused the same way).
  const sdl = join(root, "bundle", "cucm", "SDL001_200_000001.txt");
  writeFileSync(join(root, "sdl.txt.gz"), gzipSync(readFileSync(sdl)));
  writeFileSync(
    join(root, "noise.bin"),
    Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 251),
  );
  paths = [...bundlePaths(join(root, "bundle")), join(root, "sdl.txt.gz"), join(root, "noise.bin")];
  alone = loadPaths(paths);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The bundle on two threads, the other one running the fixture thread `name` (cli/testing/). */
const withThread = (name: string) =>
  loadPathsInParallel(
    paths,
    {},
    { threads: 2, minTotalBytes: 0, threadScript: new URL(`./testing/${name}.mjs`, import.meta.url) },
  );

describe("loadPathsInParallel: logs parsed on threads, merged in order", () => {
  it("the bundle has logs big enough for a thread, an archive and a binary file", () => {
    const big = alone.model.files.filter((f) => f.size >= 256 * 1024);
    expect(big.length).toBeGreaterThan(4);
    expect(alone.model.files.map((f) => f.name)).toContain("sdl.txt.gz/sdl.txt");
    const bin = alone.model.files.find((f) => f.name === "noise.bin")!;
    expect(bin.source).toBe("unknown");
  });

  it.each([2, 3])("builds the same model as one thread, on %i threads", async (threads) => {
    const parallel = await loadPathsInParallel(paths, {}, { threads, minTotalBytes: 0 });
    expect(toJson(parallel.model)).toEqual(toJson(alone.model));
    expect(parallel.files).toEqual(alone.files);
    expect(parallel.problems).toEqual(alone.problems);
    expect(parallel.store.records.length).toBe(alone.store.records.length);
    expect(parallel.store.events.length).toBe(alone.store.events.length);
    // Not all on this thread: the other threads parsed some of the logs.
    expect(parallel.parallel).toEqual({ threads, files: expect.any(Number) });
    expect(parallel.parallel!.files).toBeGreaterThan(0);
  });

  it("reads a bundle this small on one thread unless told otherwise", async () => {
    const parallel = await loadPathsInParallel(paths, {}, { threads: 2 });
    expect(parallel.parallel).toEqual({ threads: 1, files: 0 });
    expect(toJson(parallel.model)).toEqual(toJson(alone.model));
  });

  it("builds the same model whatever the slice size", async () => {
    const parallel = await loadPathsInParallel(
      paths,
      {},
      { threads: 2, chunkSize: 64 * 1024 + 3, minTotalBytes: 0 },
    );
    expect(toJson(parallel.model)).toEqual(toJson(alone.model));
  });

  it("a path that cannot be read is reported as with one thread", async () => {
    const missing = [join(root, "gone.log"), ...paths];
    const parallel = await loadPathsInParallel(missing, {}, { threads: 2, minTotalBytes: 0 });
    expect(parallel.problems.unreadable).toEqual([expect.stringContaining("gone.log: ENOENT")]);
    expect(parallel.problems).toEqual(loadPaths(missing).problems);
    expect(toJson(parallel.model)).toEqual(toJson(alone.model));
  });

  it("a thread that dies on a file fails the files it was given only; the others parse", async () => {
    const parallel = await withThread("threadDiesOnFile");
    const failed = parallel.model.files.filter((f) =>
      f.errors.includes("the parse thread failed on this file"),
    );
    expect(failed.length).toBeGreaterThan(0);
    expect(parallel.problems.unreadable).toEqual(
      failed.map((f) => expect.stringContaining(`${f.name}: the parse thread failed on this file`)),
    );
    for (const f of parallel.model.files) {
      if (failed.includes(f)) continue;
      const same = alone.model.files.find((g) => g.name === f.name)!;
      expect([f.name, f.records]).toEqual([same.name, same.records]);
    }
    expect(parallel.model.files.map((f) => f.name)).toEqual(alone.model.files.map((f) => f.name));
  });

  it("a thread that cannot start leaves its files to this thread: the same model", async () => {
    const parallel = await withThread("threadFailsToStart");
    expect(parallel.parallel).toEqual({ threads: 2, files: 0 });
    expect(parallel.problems).toEqual(alone.problems);
    expect(toJson(parallel.model)).toEqual(toJson(alone.model));
  });
});
