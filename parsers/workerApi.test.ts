import { readFileSync } from "node:fs";
import { expose, proxy, wrap, type Endpoint } from "comlink";
import { afterAll, describe, expect, it } from "vitest";
import { readSample, samplePath } from "./testing/sourceHarness.ts";
import type { ModelJson } from "./model/json.ts";
import { ParserApi, type ParsePool, type Progress } from "./workerApi.ts";
import { recordingPool } from "./testing/pool.ts";

const blob = (rel: string) => new Blob([readFileSync(samplePath(rel))]);

// The page's side of the worker boundary, over a real MessageChannel with comlink.
const channel = new MessageChannel();
expose(new ParserApi(), channel.port1 as unknown as Endpoint);
const api = wrap<ParserApi>(channel.port2 as unknown as Endpoint);
afterAll(() => {
  channel.port1.close();
  channel.port2.close();
});

describe("worker API (comlink)", () => {
  it("parses dropped files with progress and answers with windows of the model", async () => {
    const progress: Progress[] = [];
    const model = await api.replaceFiles(
      ["expressway-e.log", "expressway-c.log", "jabber.log"].map((name) => ({
        name,
        blob: blob(`mra-oauth/${name}`),
      })),
      proxy((p: Progress) => progress.push(p)),
    );
    expect(model.files.map((f) => [f.name, f.source, f.lane])).toEqual([
      ["expressway-e.log", "expressway", "expe"],
      ["expressway-c.log", "expressway", "expc"],
      ["jabber.log", "jabber", "jabber"],
    ]);
    await new Promise((r) => setTimeout(r, 20)); // progress callbacks are one-way messages
    expect(progress.filter((p) => p.done).map((p) => p.file)).toEqual([
      "expressway-e.log",
      "expressway-c.log",
      "jabber.log",
    ]);
    const rows = await api.rows(0, 2);
    expect(rows.map((m) => m.label)).toEqual(["GET get_edge_sso", "200 get_edge_sso (token reuse)"]);
  });

  it("reads back the raw records behind a message, from both sides", async () => {
    const model = await api.model();
    const authorize = model.messages.find((m) => m.label === "GET authorize")!;
    const raw = await api.raw(authorize.id);
    // The sender's line first, then the receiver's (INFO and DEBUG records of Txn-id 2005).
    expect(raw.map((r) => [r.file, r.line])).toEqual([
      ["jabber.log", 5],
      ["expressway-e.log", 19],
      ["expressway-e.log", 20],
    ]);
    expect(raw[0]!.lines[0]).toContain("[BrowserController::NavigateTo]");
    expect(raw[1]!.lines[0]).toContain('Txn-id="2005"');
  });

  it("applies a clock offset the user sets and can clear it", async () => {
    let model = await api.setClockOffset("expc", 0);
    expect(model.clocks.find((c) => c.lane === "expc")!.source).toBe("user");
    model = await api.setClockOffset("expc", null);
    expect(model.clocks.find((c) => c.lane === "expc")!.offsetMs).toBe(9);
  });

  it("says where the last model's time went: the read only when a drop was read", async () => {
    const fresh = new ParserApi();
    expect(fresh.lastTimings()).toBeNull();
    await fresh.replaceFiles([{ name: "jabber.log", blob: blob("mra-oauth/jabber.log") }]);
    const read = fresh.lastTimings()!;
    expect(read.readMs).toBeGreaterThan(0);
    expect(read.buildMs).toBeGreaterThan(0);
    expect(read.columnsMs).toBeGreaterThan(0);
    // A clock set builds again from the store, reading nothing.
    fresh.setClockOffset("jabber", 5);
    expect(fresh.lastTimings()).toMatchObject({ readMs: null });
    await fresh.reset();
    expect(fresh.lastTimings()).toBeNull();
  });

  it("lists an unknown and a binary file without stopping the others", async () => {
    const binary = new Blob([new Uint8Array(4096).map((_, i) => (i * 7) % 256)]);
    const model = await api.replaceFiles([
      { name: "notes.txt", blob: new Blob(["Dear TAC,\nJabber cannot sign in since Monday.\n"]) },
      { name: "image.png", blob: binary },
      { name: "expressway-c.log", blob: blob("mra-oauth/expressway-c.log") },
    ]);
    expect(model.files.map((f) => [f.name, f.source, f.unparsedLines, f.errors.length > 0])).toEqual([
      ["notes.txt", "unknown", 2, false],
      ["image.png", "unknown", 0, true],
      ["expressway-c.log", "expressway", 0, false],
    ]);
    expect(model.files[1]!.errors[0]).toMatch(/binary/);
    expect(model.messages.length).toBeGreaterThan(10);
  });
});

describe("worker API: editing what was dropped", () => {
  it("removes a file, overrides a lane, and dates a time-of-day log", async () => {
    let model = await api.replaceFiles(
      ["expressway-e.log", "expressway-c.log", "jabber.log"].map((name) => ({
        name,
        blob: blob(`mra-oauth/${name}`),
      })),
    );
    model = await api.removeFile(2);
    expect(model.files.map((f) => f.name)).toEqual(["expressway-e.log", "expressway-c.log"]);
    model = await api.setFileOptions(1, { lane: "expe" });
    expect(model.files[1]!.lane).toBe("expe");
    model = await api.replaceFiles([
      { name: "ctimanager-sdl.txt", blob: blob("cti-deskphone/ctimanager-sdl.txt") },
    ]);
    expect(model.files[0]!.timeBase.dateFrom).toBe("unknown");
    model = await api.setFileTime(0, { date: "2016-05-10" });
    expect(model.files[0]!.timeBase).toMatchObject({ date: "2016-05-10", dateFrom: "user" });
    expect(model.files[0]!.warnings).toEqual([]);
    expect(model.messages[0]!.time).toBe("2016-05-10T08:59:16.944Z");
  });
});

describe("worker API with a parse pool", () => {
  // The logs repeated past 256 KiB go to the pool; the README and one small copy stay here.
  const big = (name: string) => {
    const bytes = readSample(`mra-oauth/${name}`);
    return new Blob(Array(Math.ceil((300 * 1024) / bytes.length)).fill(bytes));
  };
  const files = () => [
    ...["expressway-e.log", "expressway-c.log", "jabber.log"].map((name) => ({ name, blob: big(name) })),
    { name: "README.md", blob: blob("mra-oauth/README.md") },
    { name: "small/jabber.log", blob: blob("mra-oauth/jabber.log") },
  ];
  const bySize = (names: string[]) => {
    const sizes = new Map(files().map((f) => [f.name, f.blob.size]));
    return names.map((n) => sizes.get(n)!).sort((a, b) => b - a);
  };

  it("ends a cancelled drop even when a pool worker never answers", async () => {
    const asked: string[] = [];
    const dead: ParsePool = {
      size: 1,
      parse: (name) => {
        asked.push(name);
        return new Promise<never>(() => undefined);
      },
    };
    const api = new ParserApi(dead);
    // The pool takes the biggest log (the first dropped); this worker parses the other two big
    // ones while it waits for it, then only waits: cancel once both are read.
    const read = new Set<string>();
    const model = await new Promise<ModelJson>((resolve, reject) => {
      api
        .replaceFiles(files(), (p) => {
          if (p.bytesRead === p.size && !asked.includes(p.file)) read.add(p.file);
          if (read.size === 2) setTimeout(() => api.cancel(), 10);
        })
        .then(resolve, reject);
    });
    expect(asked).toEqual(["expressway-e.log"]);
    expect(Object.fromEntries(model.files.map((f) => [f.name, f.errors]))).toEqual({
      "expressway-e.log": ["cancelled"],
      "expressway-c.log": [],
      "jabber.log": [],
      // Small files come with their bytes read (expandDropped), and are parsed all the same.
      "README.md": [],
      "small/jabber.log": [],
    });
    expect(model.messages.length).toBeGreaterThan(0);
  });

  it.each([1, 2])("gives the same model as one worker, with a pool of %i", async (size) => {
    const { pool, sent } = recordingPool(size);
    const pooled = await new ParserApi(pool).replaceFiles(files());
    const single = await new ParserApi().replaceFiles(files());
    // A free pool worker takes the biggest file left (their sizes differ), one each; this worker
    // takes the rest, in drop order or, while it waits for a pool worker's, biggest first.
    const logs = ["expressway-e.log", "expressway-c.log", "jabber.log"];
    expect(sent.map((n) => files().find((f) => f.name === n)!.blob.size)).toEqual(
      bySize(logs).slice(0, size),
    );
    expect(pooled).toEqual(single);
    expect(pooled.messages.length).toBeGreaterThan(20);
  });
});

describe("worker API: the table's query over messages kept in columns", () => {
  // The seed's MRA OAuth login (23 messages) dropped 400 times over: a model of 9 200 messages,
  // more than two of the page's windows, read from the worker's columns.
  const copies = 400;
  const names = ["expressway-e.log", "expressway-c.log", "jabber.log"];
  const bytes = names.map((name) => readFileSync(samplePath(`mra-oauth/${name}`)));
  const local = new ParserApi();
  let all: ModelJson["messages"] = [];

  it("filters, searches and sorts as the messages themselves say", async () => {
    await local.replaceFiles(
      Array.from({ length: copies }, (_, c) =>
        names.map((name, i) => ({ name: `copy${c}/${name}`, blob: new Blob([bytes[i]!]) })),
      ).flat(),
    );
    all = local.model().messages;
    expect(all.length).toBeGreaterThan(9000);
    const one = all.filter((m) => m.evidence[0]?.file.startsWith("copy0/"));
    const authorize = one.filter((m) => m.label.toLowerCase().includes("authorize")).length;
    expect(authorize).toBeGreaterThan(0);

    const search = local.query({ requestId: 1, sort: null, filters: {}, search: "authorize" });
    expect(search.count).toBe(authorize * copies);
    expect(Array.from(search.ids)).toEqual(
      all.filter((m) => m.label.toLowerCase().includes("authorize")).map((m) => m.id),
    );

    // Jabber's own messages, by label from Z to A (ties in id order).
    const sorted = local.query({
      requestId: 2,
      sort: { column: "label", desc: true },
      filters: { from: "jabber" },
      search: "",
    });
    const jabber = all.filter((m) => m.from.toLowerCase().includes("jabber"));
    expect(sorted.count).toBe(jabber.length);
    const labels = Array.from(sorted.ids, (id) => all[id]!.label);
    const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
    for (let i = 1; i < labels.length; i++)
      expect(collator.compare(labels[i - 1]!, labels[i]!)).toBeGreaterThanOrEqual(0);
    expect(new Set(sorted.ids)).toEqual(new Set(jabber.map((m) => m.id)));

    // Nothing asked: every message in order.
    const none = local.query({ requestId: 3, sort: null, filters: {}, search: "" });
    expect(Array.from(none.ids)).toEqual(all.map((m) => m.id));
  });

  it("answers windows anywhere in the model, the last one short", () => {
    expect(local.rows(8190, 8195)).toEqual(all.slice(8190, 8195));
    expect(local.rows(all.length - 3, all.length + 10)).toEqual(all.slice(-3));
  });
});
