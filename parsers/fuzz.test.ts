import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildModel, type BuildOptions } from "./model/build.ts";
import { ingestBytes } from "./model/parseBytes.ts";
import { HEAD_BYTES } from "./model/ingest.ts";
import { ladderText, toJson, type ModelJson } from "./model/json.ts";
import { Store } from "./model/store.ts";
import { SOURCES } from "./sources/registry.ts";
import { digest, parse } from "./testing/sourceHarness.ts";
import {
  checkParsed,
  fuzzParams,
  mutatedSample,
  nastyBytes,
  nastyText,
  repeatPast,
  sampleFiles,
} from "./testing/fuzz.ts";

/**
 * Property and fuzz tests over every source of the registry (a new source is covered by being
 * listed) and over detection: hostile bytes and mutated real lines never make a source throw,
 * every line is accounted for, the digest does not depend on the slicing, and the model builds.
 */

const enc = new TextEncoder();
const samples = sampleFiles();
/** Characters whose long runs make a backtracking regular expression quadratic. */
const RUN_CHARS = [" ", "\t", "a", "A", "0", "=", "-", ".", "|", ":", ";", "<", '"', "_", "@", "/"];
const input = fc.oneof(
  nastyBytes(),
  nastyText(200).map((s) => enc.encode(s)),
);

/** Build, and check what the page and the CLI rely on: ids, references, order, repeatability. */
function build(store: Store, options: BuildOptions = {}): ModelJson {
  const json = toJson(buildModel(store, options));
  ladderText(json);
  // Evidence names a file by name; two files may share one (the same name in two folders).
  const lines = new Map<string, number>();
  for (const f of json.files) lines.set(f.name, Math.max(f.lines, lines.get(f.name) ?? 0));
  const lanes = new Set(json.lanes);
  let last = -Infinity;
  json.messages.forEach((m, i) => {
    expect(m.id).toBe(i);
    expect(lanes.has(m.from) && lanes.has(m.to), `${m.from}->${m.to} in ${json.lanes}`).toBe(true);
    for (const e of m.evidence) {
      expect(e.line >= 1 && e.line <= (lines.get(e.file) ?? 0), `${e.file}:${e.line}`).toBe(true);
    }
    const t = m.time === null ? Infinity : Date.parse(m.time);
    expect(t).toBeGreaterThanOrEqual(last);
    last = t;
  });
  const inDialog = new Map<number, string>();
  for (const d of json.dialogs)
    for (const id of d.messages) {
      expect(inDialog.has(id), `message ${id} in two dialogs`).toBe(false);
      inDialog.set(id, d.key);
    }
  for (const m of json.messages) expect(m.dialog).toBe(inDialog.get(m.id) ?? null);
  for (const s of json.sessions) for (const id of s.messages) expect(json.messages[id]).toBeDefined();
  JSON.stringify(json);
  return json;
}

describe.each(SOURCES.map((s) => [s.id, s] as const))("fuzz: %s", (id, source) => {
  const own = samples.filter((f) => f.source === id);
  const others = samples.filter((f) => f.source !== id && f.source !== "unknown");
  const mutated = mutatedSample(own.length ? own : samples, others);

  const hostileText = fc.oneof(
    nastyText(120),
    mutated.map((m) => new TextDecoder().decode(m.bytes)),
  );

  it("has sample files to mutate", () => {
    expect(own.map((f) => f.path)).not.toEqual([]);
  });

  it("sniff, isRecordStart and identify never throw on hostile text", () => {
    fc.assert(
      fc.property(hostileText, fc.string({ maxLength: 30 }), (text, name) => {
        const confidence = source.sniff(text);
        expect(confidence).toBeGreaterThanOrEqual(0);
        expect(confidence).toBeLessThanOrEqual(1);
        for (const line of text.split("\n")) source.isRecordStart(line);
        source.identify?.(text, name);
      }),
      fuzzParams(150),
    );
  });

  it("random bytes and strings: no exception, no parser error, every line accounted for", () => {
    fc.assert(
      fc.property(input, (bytes) => {
        checkParsed(bytes, parse(bytes, "log.txt", { source: id }));
      }),
      fuzzParams(120),
    );
  });

  it("mutated real lines: parsed without a parser error, and the model builds", () => {
    fc.assert(
      fc.property(mutated, ({ bytes }) => {
        const p = parse(bytes, "log.txt", { source: id });
        checkParsed(bytes, p);
        // Building again (as when the user edits a clock) concludes the same.
        expect(build(p.store)).toEqual(build(p.store));
      }),
      fuzzParams(120),
    );
  });

  // Quadratic regular expressions (a \s* next to a \s*, a greedy run retried from every
  // position) cost minutes on one long line. This checks that such a line still parses whole; how
  // fast is the benchmark's to measure, and eslint's regexp/no-super-linear-* rules keep such
  // patterns out (one that costs minutes would also fail on the test timeout).
  it("a 100 000-character run of one character inside a real line parses", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...(own.length ? own : samples)),
        fc.nat(),
        fc.nat(),
        fc.constantFrom(...RUN_CHARS),
        (file, lineAt, at, c) => {
          const lines = file.lines.slice();
          const i = lineAt % lines.length;
          const j = at % (lines[i]!.length + 1);
          lines[i] = lines[i]!.slice(0, j) + c.repeat(100_000) + lines[i]!.slice(j);
          const bytes = enc.encode(lines.join("\n"));
          checkParsed(bytes, parse(bytes, "log.txt", { source: id }));
        },
      ),
      fuzzParams(12),
    );
  });

  it("chunk-size invariance past the detection head: any slicing gives the 1 MiB digest", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          mutated.map((m) => m.bytes),
          input,
        ),
        fc.integer({ min: 1, max: 5000 }),
        fc.nat({ max: 20000 }),
        (bytes, chunk, extra) => {
          const big = repeatPast(bytes, HEAD_BYTES + extra);
          const whole = parse(big, "log.txt", { source: id });
          checkParsed(big, whole);
          expect(digest(parse(big, "log.txt", { source: id }, chunk))).toEqual(digest(whole));
        },
      ),
      fuzzParams(8),
    );
  });
});

describe("fuzz: detection", () => {
  const names = fc.constantFrom(
    "log.txt",
    "jabber.log",
    "expressway-e.log",
    "cucm-security.log",
    "ctimanager-sdl.txt",
    "imp-epassoap.log",
    "sipproxy.log",
    "client.uccapilog",
    "frontend-sipstack.log",
    "SDL002_100_000123.txt.gz.txt",
    "",
  );
  const anyFile = fc.oneof(
    { arbitrary: mutatedSample(samples, samples).map((m) => m.bytes), weight: 3 },
    { arbitrary: input, weight: 1 },
  );

  it("random and mutated files of any source, several in one store: detected, parsed, built", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(names, anyFile), { minLength: 1, maxLength: 4 }),
        fc.option(fc.integer({ min: -720, max: 840 }), { nil: undefined }),
        fc.option(fc.integer({ min: -3_600_000, max: 3_600_000 }), { nil: undefined }),
        (files, zone, offset) => {
          const store = new Store();
          for (const [name, bytes] of files) {
            const info = ingestBytes(store, name, bytes);
            checkParsed(bytes, { store, info, events: [] });
          }
          expect(build(store)).toEqual(build(store));
          const options: BuildOptions = {};
          if (zone !== undefined) options.zones = new Map([[0, zone]]);
          if (offset !== undefined && store.files[0]?.lane)
            options.clockOffsets = new Map([[store.files[0].lane, offset]]);
          options.dates = new Map([[0, "2020-03-24"]]);
          build(store, options); // a rebuild, as when the user sets a clock
        },
      ),
      fuzzParams(150),
    );
  });
});
