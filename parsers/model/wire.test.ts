import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadBundle } from "../testing/bundles.ts";
import { samplePath } from "../testing/sourceHarness.ts";
import type { ModelJson } from "./json.ts";
import { buildModel } from "./build.ts";
import { isoTime, toJson } from "./json.ts";
import { decodeMessages, encodeMessages, messageTimes, wireTransfer } from "./wire.ts";

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
});
