import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadBundle } from "../testing/bundles.ts";
import { samplePath } from "../testing/sourceHarness.ts";
import type { ModelJson } from "./json.ts";
import { buildModel } from "./build.ts";
import { isoTime } from "./isoTime.ts";
import { toJson } from "./json.ts";
import {
  decodeMessages,
  encodeMessages,
  MessageColumns,
  messageTimes,
  viewMessages,
  wireTransfer,
} from "./wire.ts";

const SAMPLES: string[] = (
  JSON.parse(readFileSync(samplePath("index.json"), "utf8")) as { bundles: { id: string }[] }
).bundles.map((b) => b.id);

describe("message windows on the wire", () => {
  it.each(SAMPLES)("%s: every window decodes to the model's own messages", (id) => {
    const { json } = loadBundle(id);
    expect(json.messages.length).toBeGreaterThan(0);
    const out: ModelJson["messages"] = [];
    for (let start = 0; start < json.messages.length; start += 7) {
      decodeMessages(encodeMessages(json.messages.slice(start, start + 7)), out);
    }
    expect(out).toEqual(json.messages);
  });

  it.each(SAMPLES)("%s: the messages kept in columns give back each window as encoded alone", (id) => {
    const { store } = loadBundle(id);
    const model = buildModel(store);
    const json = toJson(model);
    const columns = MessageColumns.of(json.messages, messageTimes(model.messages));
    expect(columns.count).toBe(json.messages.length);
    expect(columns.messages(0, columns.count)).toEqual(json.messages);
    for (const size of [1, 3, 64]) {
      for (let start = 0; start < json.messages.length; start += size) {
        const window = columns.window(start, start + size);
        const alone = encodeMessages(json.messages.slice(start, start + size));
        // The strings the window names, each once, as when it is encoded on its own.
        expect(window.strings).toHaveLength(alone.strings.length);
        expect(new Set(window.strings)).toEqual(new Set(alone.strings));
        expect(decodeMessages(window)).toEqual(json.messages.slice(start, start + size));
        expect(window.times).toEqual(alone.times);
      }
    }
    // Past either end: clipped to the messages there are.
    expect(columns.messages(-5, 2)).toEqual(json.messages.slice(0, 2));
    expect(columns.messages(columns.count - 1, columns.count + 9)).toEqual(json.messages.slice(-1));
    expect(columns.window(columns.count + 1, columns.count + 3).fields).toHaveLength(0);
  });

  it.each(SAMPLES)("%s: the page's messages read, field for field, as the decoded ones", (id) => {
    const { json } = loadBundle(id);
    const wire = encodeMessages(json.messages);
    const viewed = viewMessages(wire);
    expect(viewed).toHaveLength(json.messages.length);
    const keys = Object.keys(json.messages[0]!) as (keyof ModelJson["messages"][number])[];
    expect(keys).toContain("evidence");
    viewed.forEach((m, i) => {
      for (const key of keys) expect(m[key], `message ${i} ${key}`).toEqual(json.messages[i]![key]);
      expect(JSON.parse(JSON.stringify(m))).toEqual(json.messages[i]);
    });
  });

  it.each(SAMPLES)("%s: the built model's times encode as its JSON's text does", (id) => {
    const { store } = loadBundle(id);
    const model = buildModel(store);
    const json = toJson(model);
    expect(encodeMessages(json.messages, messageTimes(model.messages))).toEqual(
      encodeMessages(json.messages),
    );
  });

  it("names each string once and carries nulls, no time, several sides and evidence lines", () => {
    const { json } = loadBundle("mra-oauth");
    const [first, second] = json.messages;
    // The seed's first exchange: GET get_edge_sso and its 200, both logged by expe alone.
    expect(first).toMatchObject({ from: "jabber", to: "expe", label: "GET get_edge_sso", seenBy: ["expe"] });
    const odd = { ...second!, time: null, status: null, dialog: null, user: null, phase: null };
    const both = {
      ...first!,
      seenBy: ["expe", "expc"],
      evidence: [...first!.evidence, { file: "x.log", line: 2 ** 30 }],
    };
    const wire = encodeMessages([first!, odd, both]);
    expect(new Set(wire.strings).size).toBe(wire.strings.length);
    expect(wire.strings.filter((s) => s === "expe")).toHaveLength(1);
    expect(decodeMessages(wire)).toEqual([first, odd, both]);
    // Its arrays are what moves to the page: four buffers, none shared.
    expect(new Set(wireTransfer(wire)).size).toBe(4);
  });

  it("keeps times outside years 1000-9999 as toISOString writes them", () => {
    const { json } = loadBundle("mra-oauth");
    const m = json.messages[0]!;
    const times = ["0050-01-02T03:04:05.006Z", "+012345-06-07T08:09:10.011Z", "1970-01-01T00:00:00.000Z"];
    const decoded = decodeMessages(encodeMessages(times.map((time) => ({ ...m, time }))));
    expect(decoded.map((d) => d.time)).toEqual(times);
    // From numbers, fractions of a millisecond and all: as isoTime writes them.
    const ms = [Date.parse(times[0]!) + 0.75, Date.parse(times[1]!) + 0.25, -0.5, 1e12 + 0.999, NaN];
    const built = ms.map((time, id) => ({ ...m, id, time: isoTime(time) }));
    const fromNumbers = decodeMessages(encodeMessages(built, messageTimes(ms.map((time) => ({ time })))));
    expect(fromNumbers.map((d) => d.time)).toEqual(built.map((b) => b.time));
    expect(fromNumbers.map((d) => d.time)).toEqual([
      "0050-01-02T03:04:05.006Z",
      "+012345-06-07T08:09:10.011Z",
      "1969-12-31T23:59:59.999Z",
      "2001-09-09T01:46:40.000Z",
      null,
    ]);
  });

  it("writes every time as Date.prototype.toISOString does, in any order of calls", () => {
    // Across seconds, days and years, forwards and back: the cached second must never leak.
    const start = Date.UTC(1999, 11, 31, 23, 59, 58, 990);
    const ms: number[] = [];
    for (let i = 0; i < 3000; i++) ms.push(start + i * 7 + (i % 3) * 0.4);
    ms.push(...ms.slice(0, 500).reverse(), -1, -1000, -1001, 0, 253402300799999, 253402300800000);
    for (const t of ms) expect(isoTime(t)).toBe(new Date(Math.floor(t)).toISOString());
  });
});
