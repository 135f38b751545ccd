import { describe, expect, it } from "vitest";
import { buildModel } from "./model/build.ts";
import { toJson } from "./model/json.ts";
import { Store } from "./model/store.ts";
import { parseBlob, READ_SLICE, type ReadProgress } from "./parseFile.ts";
import { readSample } from "./testing/sourceHarness.ts";

/** The seed's Expressway-C log repeated past three slices. */
function bigLog(): Uint8Array<ArrayBuffer> {
  const bytes = readSample("mra-oauth/expressway-c.log");
  const copies = Math.ceil((3.5 * READ_SLICE) / bytes.length);
  const out = new Uint8Array(copies * bytes.length);
  for (let i = 0; i < copies; i++) out.set(bytes, i * bytes.length);
  return out;
}

/** A Blob whose reads from `failAt` on fail, as a file that vanished or lost its permission. */
function failingBlob(bytes: Uint8Array<ArrayBuffer>, failAt: number): Blob {
  const blob = new Blob([bytes]);
  return {
    size: blob.size,
    slice: (start: number, end: number) => ({
      arrayBuffer: () =>
        start >= failAt
          ? Promise.reject(new Error("NotReadableError"))
          : blob.slice(start, end).arrayBuffer(),
    }),
  } as unknown as Blob;
}

describe("parseBlob", () => {
  it("reads a file in slices into the same model as its bytes at once, with progress in order", async () => {
    const bytes = bigLog();
    const progress: ReadProgress[] = [];
    const sliced = new Store();
    await parseBlob(
      sliced,
      "c.log",
      new Blob([bytes]),
      undefined,
      () => false,
      (p) => progress.push(p),
    );
    const whole = new Store();
    await parseBlob(whole, "c.log", new Blob([bytes]), undefined, () => false, undefined, bytes);
    expect(toJson(buildModel(sliced))).toEqual(toJson(buildModel(whole)));
    expect(progress.map((p) => p.bytesRead)).toEqual(
      [1, 2, 3, 4].map((k) => Math.min(k * READ_SLICE, bytes.length)),
    );
  });

  it("keeps what was read before a read fails, and says why on the file", async () => {
    const bytes = bigLog();
    const store = new Store();
    const info = await parseBlob(store, "c.log", failingBlob(bytes, 2 * READ_SLICE), undefined, () => false);
    expect(info.errors).toEqual(["cannot read the file: NotReadableError"]);
    // The records of the two slices read (the last line of the second is cut: it comes whole).
    const lines = new TextDecoder().decode(bytes.subarray(0, 2 * READ_SLICE)).split("\n").length;
    expect(info.lines).toBeGreaterThan(lines - 3);
    expect(info.lines).toBeLessThanOrEqual(lines);
    expect(store.records.length).toBeGreaterThan(0);
  });

  it("stops when cancelled, with the slice read ahead left unread", async () => {
    const bytes = bigLog();
    let reads = 0;
    const store = new Store();
    const info = await parseBlob(
      store,
      "c.log",
      failingBlob(bytes, READ_SLICE),
      undefined,
      () => reads++ > 0,
    );
    // The second slice's read (ahead, and failing) was asked for but not awaited: no error of it.
    expect(info.errors).toEqual(["cancelled: only the part read so far is shown"]);
    expect(info.lines).toBeGreaterThan(0);
  });
});
