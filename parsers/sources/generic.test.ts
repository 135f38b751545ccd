import { describe, expect, it } from "vitest";
import { expectSameDigestAtEveryChunkSize, parse, readSample } from "../testing/sourceHarness.ts";
import { createGenericParser, generic, lineStamp, syslogYear } from "./generic.ts";
import { detectSource, MIN_CONFIDENCE, SOURCES } from "./registry.ts";
import type { TimeKind } from "./types.ts";

const ENDPOINT = "generic/endpoint.log";
const text = (rel: string) => new TextDecoder().decode(readSample(rel));

/** Every file under public/samples (other engineers' included), by Vite's glob. */
const SAMPLES = import.meta.glob<string>("../../public/samples/**/*", {
  query: "?raw",
  import: "default",
  eager: true,
});
const samples = (test: (name: string) => boolean): [string, string][] =>
  Object.entries(SAMPLES).filter(
    ([path]) => test(path.slice(path.lastIndexOf("/") + 1)) && !path.includes("/generic/"),
  );

const at = (iso: string) => Date.parse(iso);

describe("generic", () => {
  it("is the registry's last source, on no lane, at the lowest priority", () => {
    expect(SOURCES.at(-1)).toBe(generic);
    expect(generic).toMatchObject({ id: "generic", lane: null, priority: 0 });
    for (const s of SOURCES) expect(s.priority).toBeGreaterThanOrEqual(generic.priority);
  });

  it("golden: a video endpoint log (composed)", () => {
    const p = parse(readSample(ENDPOINT), "endpoint.log");
    expect(p.info).toMatchObject({ source: "generic", lane: null, warnings: [], errors: [] });
    expect(p.info.confidence).toBe(MIN_CONFIDENCE);
    expect(p.events).toEqual([]);
    const r = p.store.records;
    const rows: [number, number, number, TimeKind | null, string][] = [];
    for (let i = 0; i < r.length; i++)
      rows.push([
        r.firstLine.get(i),
        r.lineCount.get(i),
        r.rawTime.get(i),
        r.kindOf(i),
        r.strings.get(r.level.get(i)),
      ]);
    expect(rows).toEqual([
      [1, 1, at("2021-06-02T07:14:02.904Z"), "utc", "INFO"],
      [2, 1, at("2021-06-02T07:14:03.118Z"), "utc", "INFO"],
      [3, 1, at("2021-06-02T07:14:03.540Z"), "utc", "DEBUG"],
      [4, 1, at("2021-06-02T07:14:03.702Z"), "utc", "INFO"],
      [5, 4, at("2021-06-02T07:14:04.015Z"), "utc", "INFO"], // REGISTER and its header lines
      [9, 2, at("2021-06-02T07:14:04.311Z"), "utc", "WARNING"],
      [11, 1, at("2021-06-02T07:14:04.320Z"), "utc", "INFO"],
      [12, 1, at("2021-06-02T07:14:04.598Z"), "utc", "INFO"],
      [13, 2, at("2021-06-02T07:14:05.002Z"), "utc", "INFO"], // and the blank line
      [15, 3, at("2021-06-02T07:14:31.770Z"), "utc", "ERROR"], // and its stack trace
      [18, 1, at("2021-06-02T07:15:00.000Z"), "utc", "INFO"],
    ]);
    expect(p.info.unparsedLines).toBe(0);
    expect(p.info.lines).toBe(18);
  });

  it("detects the endpoint log under a generic name", () => {
    const p = parse(readSample(ENDPOINT), "log.txt");
    expect(p.info.source).toBe("generic");
    expect(detectSource(text(ENDPOINT))?.source.id).toBe("generic");
  });

  it("reads each timestamp shape with its time kind", () => {
    const now = at("2021-08-01T00:00:00Z");
    const cases: [string, number, TimeKind][] = [
      ["2021-06-02T09:14:03.118Z x", at("2021-06-02T09:14:03.118Z"), "utc"],
      ["2021-06-02T09:14:03.118+02:00 x", at("2021-06-02T07:14:03.118Z"), "utc"],
      ["2021-06-02 09:14:03 -0700 x", at("2021-06-02T16:14:03Z"), "utc"],
      ["2021-06-02 09:14:03,118 INFO x", at("2021-06-02T09:14:03.118Z"), "local"],
      ["2021-06-02T09:14:03 x", at("2021-06-02T09:14:03Z"), "local"],
      ["2021/06/02 09:14:03.5 x", at("2021-06-02T09:14:03.500Z"), "local"],
      ["06/02/2021|09:14:03.118 1A2C:1B3D INFO :: x", at("2021-06-02T09:14:03.118Z"), "local"],
      ["06/02/2021 09:14:03 x", at("2021-06-02T09:14:03Z"), "local"],
      ["Jun  2 09:14:03 host proc[1]: x", at("2021-06-02T09:14:03Z"), "local"],
      ["Jun 12 09:14:03.250 host x", at("2021-06-12T09:14:03.250Z"), "local"],
      ["Jun  2 2020 09:14:03 x", at("2020-06-02T09:14:03Z"), "local"],
      ["*Jun  2 09:14:03.118: %SYS-5-CONFIG_I: x", at("2021-06-02T09:14:03.118Z"), "local"],
      ["<134>1 2021-06-02T09:14:03Z host app - - x", at("2021-06-02T09:14:03Z"), "utc"],
      ["[2021-06-02 09:14:03] x", at("2021-06-02T09:14:03Z"), "local"],
      ["[2021-06-02 09:14:03.118 +0200] x", at("2021-06-02T07:14:03.118Z"), "utc"],
      ["[09:14:03.118][INFO] x", ((9 * 60 + 14) * 60 + 3) * 1000 + 118, "tod"],
      ["09:14:03.118 x", ((9 * 60 + 14) * 60 + 3) * 1000 + 118, "tod"],
      ["\u00a02021-06-02 09:14:03,118 x", at("2021-06-02T09:14:03.118Z"), "local"],
    ];
    for (const [line, ms, kind] of cases) {
      const s = lineStamp(line, now);
      expect(s, line).not.toBeNull();
      expect([s!.ms, s!.kind], line).toEqual([ms, kind]);
    }
    for (const line of [
      "Prose that mentions 2021-06-02 09:14:03 in passing",
      "2021-06-02 the date alone",
      "2021-13-02 09:14:03 no such month",
      "25:14:03 no such hour",
      "09:14 no seconds",
      "[2021-06-02 09:14:03 unclosed",
      "01203344.000 |10:02:11.451 |SdlSig |SDL",
      "  2021-06-02 09:14:03 indented: a continuation line",
      "June 2 09:14:03 a month written out",
    ])
      expect(lineStamp(line, now), line).toBeNull();
  });

  it("dates syslog stamps in the year they were most likely written", () => {
    expect(syslogYear(6, 2, at("2021-08-01T00:00:00Z"))).toBe(2021);
    // A December log read in January belongs to the year before.
    expect(syslogYear(12, 30, at("2022-01-03T00:00:00Z"))).toBe(2021);
    const sink = {
      time: (ms: number, kind: TimeKind) => (seen = [ms, kind]),
      level() {},
      thread() {},
      emit() {},
      warn() {},
    };
    let seen: [number, TimeKind] | null = null;
    createGenericParser(at("2022-01-03T00:00:00Z"))(
      { lines: ["Dec 30 23:59:59 host x"], firstLine: 1, byteStart: 0, byteEnd: 22 },
      sink,
    );
    expect(seen).toEqual([at("2021-12-30T23:59:59Z"), "local"]);
  });

  it("claims a head only when 60% of its non-blank lines start with one shape", () => {
    const stamped = (n: number) =>
      Array.from({ length: n }, (_, i) => `2021-06-02 09:14:0${i % 10} event ${i}`);
    const prose = (n: number) => Array.from({ length: n }, (_, i) => `some words about the login, line ${i}`);
    expect(generic.sniff([...stamped(6), ...prose(4)].join("\n"))).toBe(MIN_CONFIDENCE);
    expect(generic.sniff([...stamped(5), ...prose(5)].join("\n"))).toBe(0);
    expect(generic.sniff([...stamped(6), "", "", "", ...prose(4)].join("\r\n"))).toBe(MIN_CONFIDENCE);
    // Two shapes of 40% each are not one shape of 60%.
    const tods = Array.from({ length: 4 }, (_, i) => `09:14:0${i} tick`);
    expect(generic.sniff([...stamped(4), ...tods, ...prose(2)].join("\n"))).toBe(0);
    expect(generic.sniff("2021-06-02 09:14:03 one\n2021-06-02 09:14:04 two\n")).toBe(0); // too few
    expect(generic.sniff("")).toBe(0);
  });

  it("not mine: prose and the samples' READMEs", () => {
    const prose =
      "Connection Manager Logs: XCP connection Manager service receives Token from JC.\n" +
      "At 2021-06-02 09:14:03 the user signed in; at 09:15:00 the call failed.\n" +
      "- XCP Authentication Service receives msg from XCP Connection manager to verify the Token.\n";
    expect(generic.sniff(prose)).toBe(0);
    const readmes = samples((name) => name.endsWith(".md"));
    expect(readmes.length).toBeGreaterThan(3);
    for (const [path, content] of readmes) {
      expect(generic.sniff(content), path).toBe(0);
      expect(detectSource(content)?.source.id, path).not.toBe("generic");
    }
  });

  it("never wins over a real source: every other sample log is still its own source's", () => {
    const logs = samples(
      (name) => /\.(log|txt)$/.test(name) || /\.log\.\d+$/.test(name) || name.endsWith(".uccapilog"),
    );
    expect(logs.length).toBeGreaterThan(5);
    for (const [path, content] of logs) {
      const detected = detectSource(content);
      // A sample no real source claims is not for generic to take either: it is a real source's
      // fixture whose source may still be on its way.
      expect(detected?.source.id, path).not.toBe("generic");
    }
  });

  it("gives the same digest for every chunk size", () => {
    expectSameDigestAtEveryChunkSize(ENDPOINT, "endpoint.log");
  });
});
