import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundlePaths, generate } from "../bench/gen.ts";
import { decodeMessages } from "./model/wire.ts";
import { LONG_WAIT_BYTES, PARTIAL_MAX_BYTES, PartialSchedule } from "./partials.ts";
import { ParserApi, type DroppedFile, type ModelSummary } from "./workerApi.ts";
import { samplePath } from "./testing/sourceHarness.ts";
import { recordingPool } from "./testing/pool.ts";

const MiB = 1024 * 1024;

describe("PartialSchedule", () => {
  it("builds a partial only with something new, a long wait ahead, a small store and after its gap", () => {
    let now = 0;
    const s = new PartialSchedule(() => now);
    expect(s.due(0, 50 * MiB)).toBe(false); // nothing merged yet
    expect(s.due(1 * MiB, LONG_WAIT_BYTES - 1)).toBe(false); // the rest is quick: wait for the final
    expect(s.due(PARTIAL_MAX_BYTES + 1, 50 * MiB)).toBe(false); // too big to pull again and again
    expect(s.due(1 * MiB, 50 * MiB)).toBe(true);
    s.built(1 * MiB, 400); // 400 ms per MiB: one of 2 MiB no sooner than 8 x 800 ms after
    now = 6300;
    expect(s.due(2 * MiB, 49 * MiB)).toBe(false);
    now = 6400;
    expect(s.due(1 * MiB, 49 * MiB)).toBe(false); // nothing new since
    expect(s.due(2 * MiB, 49 * MiB)).toBe(true);
    expect(s.due(8 * MiB, 43 * MiB)).toBe(false); // more to build: 8 x 3.2 s after the last
    s.built(2 * MiB, 10); // a quick build: still at least a second apart
    now = 7300;
    expect(s.due(3 * MiB, 48 * MiB)).toBe(false);
    now = 7400;
    expect(s.due(3 * MiB, 48 * MiB)).toBe(true);
    expect(s.due(26 * MiB, 25 * MiB)).toBe(false); // past half way: the final one comes soon
  });
});

describe("partial models while a drop is read", () => {
  const root = mkdtempSync(join(tmpdir(), "ucsnoop-partial-"));
  let files: DroppedFile[];
  beforeAll(() => {
    // About 8 MB in 18 files: the first partial comes after the first file, with 4 MiB+ to go.
    generate({ out: root, sessions: 220, seed: 3 });
    files = bundlePaths(root)
      .flatMap((d) => readdirRec(d))
      .map((p) => ({ name: p.slice(root.length + 1), blob: new Blob([readFileSync(p)]) }));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("streams the model of the files read so far, and ends with the same model as without", async () => {
    const api = new ParserApi();
    const partials: { summary: ModelSummary; window: unknown }[] = [];
    const final = await api.replaceFilesSummary(files, undefined, (summary) =>
      // The page pulls a window while the worker goes on: it must be of that partial's build.
      partials.push({ summary, window: api.messageWindow(0, 3, summary.version) }),
    );
    expect(partials.length).toBeGreaterThanOrEqual(1);
    const first = partials[0]!.summary;
    expect(first.partial).toEqual({
      filesRead: 1,
      files: files.length,
      bytesRead: files[0]!.blob.size,
      bytes: files.reduce((n, f) => n + f.blob.size, 0),
    });
    // A prefix of the drop: the files read so far, with their messages.
    expect(first.files.map((f) => f.name)).toEqual([files[0]!.name]);
    expect(first.messageCount).toBeGreaterThan(0);
    expect(partials[0]!.window).not.toBeNull();
    for (const p of partials) expect(p.summary.version).toBeLessThan(final.version);
    // A window of an overtaken build is refused; the final's is served.
    expect(api.messageWindow(0, 3, first.version)).toBeNull();
    expect(decodeMessages(api.messageWindow(0, 3, final.version)!)).toEqual(api.rows(0, 3));
    expect(final.partial).toBeNull();
    expect(final.files).toHaveLength(files.length);

    const plain = new ParserApi();
    const without = await plain.replaceFilesSummary(files);
    const strip = (s: ModelSummary) => ({ ...s, version: 0 });
    expect(strip(final)).toEqual(strip(without));
    expect(api.rows(0, final.messageCount)).toEqual(plain.rows(0, without.messageCount));
  });

  it("streams partials of one big file as it is read, ending with the same model", async () => {
    const big = join(root, "big");
    generate({ out: big, sessions: 450, seed: 5 });
    const path = join(big, "expressway-c", "expressway-c.log");
    const one = [{ name: "expressway-c.log", blob: new Blob([readFileSync(path)]) }];
    const size = one[0]!.blob.size;
    expect(size).toBeGreaterThan(LONG_WAIT_BYTES + 1 * MiB);
    const api = new ParserApi();
    const partials: ModelSummary[] = [];
    const final = await api.replaceFilesSummary(one, undefined, (s) => partials.push(s));
    expect(partials.length).toBeGreaterThanOrEqual(1);
    // The first after the first 1 MiB slice: none of the one file read whole, part of its bytes.
    expect(partials[0]!.partial).toEqual({ filesRead: 0, files: 1, bytesRead: 1 * MiB, bytes: size });
    expect(partials[0]!.messageCount).toBeGreaterThan(0);
    expect(partials[0]!.messageCount).toBeLessThan(final.messageCount);
    const without = await new ParserApi().replaceFilesSummary(one);
    expect({ ...final, version: 0 }).toEqual({ ...without, version: 0 });
  });

  it("with a pool, reads the first file here in slices while the pool parses the others", async () => {
    const { pool, sent } = recordingPool();
    // The generated bundle's Expressway-C log (its biggest file) first, then the others.
    const first = files.findIndex((f) => f.name.endsWith("expressway-c.log"));
    const drop = [files[first]!, ...files.filter((_, i) => i !== first)];
    const size = drop[0]!.blob.size;
    expect(size).toBeGreaterThan(2 * MiB);
    const partials: ModelSummary[] = [];
    const final = await new ParserApi(pool).replaceFilesSummary(drop, undefined, (s) => partials.push(s));
    expect(sent).not.toContain(drop[0]!.name);
    expect(sent.length).toBeGreaterThan(3);
    // The first partial: after the first 1 MiB slice of the first file, none read whole.
    expect(partials[0]!.partial).toMatchObject({ filesRead: 0, bytesRead: 1 * MiB });
    expect(partials[0]!.messageCount).toBeGreaterThan(0);
    const without = await new ParserApi().replaceFilesSummary(drop);
    expect({ ...final, version: 0 }).toEqual({ ...without, version: 0 });
  });

  it("does not show a half model of a small drop", async () => {
    const api = new ParserApi();
    const partials: ModelSummary[] = [];
    const small = ["expressway-e.log", "expressway-c.log", "jabber.log"].map((name) => ({
      name,
      blob: new Blob([readFileSync(samplePath(`mra-oauth/${name}`))]),
    }));
    const final = await api.replaceFilesSummary(small, undefined, (s) => partials.push(s));
    expect(partials).toEqual([]);
    expect(final.messageCount).toBeGreaterThan(10);
  });
});

function readdirRec(path: string): string[] {
  // bundlePaths gives directories; the page gets files, in the order a file picker lists them.
  return readdirSync(path, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}
