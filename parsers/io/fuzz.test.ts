import fc from "fast-check";
import { gzipSync, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { expandBytes } from "../expand.ts";
import {
  checkParsed,
  concatBytes,
  fuzzParams,
  nastyBytes,
  nastyText,
  repeatPast,
  utf16Bytes,
} from "../testing/fuzz.ts";
import { parse, readSample } from "../testing/sourceHarness.ts";
import { archiveKind, expandAll, expandArchive, type ArchiveLimits, type ArchiveResult } from "./archive.ts";
import { guessEncoding } from "./encoding.ts";
import { cleanLine, LineSplitter, MAX_LINE_BYTES, type Line } from "./lines.ts";
import { MAX_RECORD_CHARS, MAX_RECORD_LINES, RecordAssembler, type RawRecord } from "./records.ts";

/**
 * Property and fuzz tests of the input layer: the line splitter against an independent reading
 * of the bytes, the record assembler's accounting, the encoding guess, and the archive readers
 * on random bytes and on damaged real archives (they report errors, they never throw).
 */

const enc = new TextEncoder();

// ---- lines --------------------------------------------------------------------------------------

function split(bytes: Uint8Array, cuts: number[]): { lines: Line[]; splitter: LineSplitter } {
  const lines: Line[] = [];
  const splitter = new LineSplitter((l) => lines.push(l));
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    const to = Math.min(cut, bytes.length);
    if (to < at) continue;
    splitter.push(bytes.subarray(at, to));
    at = to;
  }
  splitter.push(bytes.subarray(at));
  splitter.end();
  return { lines, splitter };
}

/** The lines of UTF-8 bytes read without the splitter: cut at each LF, decoded one by one. */
function utf8Lines(bytes: Uint8Array): Line[] {
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const out: Line[] = [];
  const dec = new TextDecoder();
  let from = body;
  for (let i = body; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== 0x0a) continue;
    if (i === bytes.length && i === from) break; // nothing after the last LF
    const text = cleanLine(dec.decode(bytes.subarray(from, i)));
    out.push({ text, number: out.length + 1, byteStart: from, byteEnd: i });
    from = i + 1;
  }
  return out;
}

const cuts = fc.array(fc.nat({ max: 4000 }), { maxLength: 12 });
/** Text that stays text (no NUL), so that the splitter does not refuse it as binary. */
const textBytes = nastyText(150).map((s) => enc.encode(s.replace(/\0/g, "")));

describe("fuzz: LineSplitter", () => {
  // The splitter waits for the GUESS_BYTES that guessEncoding reads before it settles the
  // encoding, so the guess (UTF-16 or not, binary or not) is the same however the head is cut.
  it("random bytes cut anywhere give the lines of one slice", () => {
    fc.assert(
      fc.property(nastyBytes(), fc.nat({ max: 11000 }), cuts, (piece, length, at) => {
        const bytes = repeatPast(piece, length);
        const one = split(bytes, []);
        const sliced = split(
          bytes,
          at.map((c) => c * 3),
        );
        expect(sliced.lines).toEqual(one.lines);
        expect(sliced.splitter.encodingName).toBe(one.splitter.encodingName);
        expect(sliced.splitter.binary).toBe(one.splitter.binary);
        expect(sliced.splitter.lines).toBe(one.lines.length);
      }),
      fuzzParams(150),
    );
  });

  it("a line past MAX_LINE_BYTES, cut anywhere: the same lines; its text cut, its byte range whole", () => {
    fc.assert(
      fc.property(
        textBytes,
        fc.integer({ min: -3, max: 3000 }),
        textBytes,
        fc.array(fc.nat({ max: MAX_LINE_BYTES + 6000 }), { maxLength: 40 }),
        (before, over, after, at) => {
          const long = new Uint8Array(MAX_LINE_BYTES + over).fill(0x61);
          const bytes = concatBytes([before, enc.encode("\n"), long, enc.encode("\n"), after]);
          const one = split(bytes, []);
          const sliced = split(bytes, [8192, ...at.map((c) => 8192 + c)]);
          expect(sliced.lines).toEqual(one.lines);
          if (one.splitter.binary || one.splitter.encodingName !== "utf-8") return;
          const start = before.length + 1;
          const line = one.lines.find((l) => l.byteStart === start)!;
          expect(line.byteEnd).toBe(start + long.length);
          expect(line.text.length).toBe(Math.min(long.length, MAX_LINE_BYTES));
        },
      ),
      fuzzParams(10),
    );
  });

  it("UTF-8: the lines are the LF-separated pieces, and byteStart/byteEnd decode back to each", () => {
    fc.assert(
      fc.property(fc.oneof(textBytes, nastyBytes()), cuts, (bytes, at) => {
        const { lines, splitter } = split(bytes, at);
        if (splitter.encodingName !== "utf-8" || splitter.binary) return;
        expect(lines).toEqual(utf8Lines(bytes));
        const dec = new TextDecoder();
        for (const l of lines)
          expect(cleanLine(dec.decode(bytes.subarray(l.byteStart, l.byteEnd)))).toBe(l.text);
      }),
      fuzzParams(400),
    );
  });

  it("UTF-16: the lines are the decoded text's, and byte offsets are within the file", () => {
    fc.assert(
      fc.property(nastyText(150), fc.boolean(), fc.boolean(), cuts, (s, le, bom, at) => {
        // A second U+FEFF after the BOM, and a lone high surrogate at the very end, once put the
        // byte offsets 2 bytes short: both are in the generated text (nastyText) on purpose.
        const bytes = utf16Bytes(s, le, bom);
        const { lines, splitter } = split(bytes, at);
        const encoding = le ? "utf-16le" : "utf-16be";
        if (splitter.encodingName !== encoding) return; // too little text to tell UTF-16 without a BOM
        const text = new TextDecoder(encoding).decode(bytes.subarray(bom ? 2 : 0));
        const expected = text.split("\n");
        if (expected.at(-1) === "") expected.pop();
        expect(lines.map((l) => l.text)).toEqual(expected.map(cleanLine));
        for (const l of lines) {
          expect(l.byteStart).toBeLessThanOrEqual(l.byteEnd);
          expect(l.byteEnd).toBeLessThanOrEqual(bytes.length);
          const raw = new TextDecoder(encoding).decode(bytes.subarray(l.byteStart, l.byteEnd));
          expect(cleanLine(raw)).toBe(l.text);
        }
      }),
      fuzzParams(300),
    );
  });
});

// ---- records ------------------------------------------------------------------------------------

describe("fuzz: RecordAssembler", () => {
  const lineText = fc.oneof(
    fc.constantFrom("#", "# header", "#x", "", " ", "continuation", "  at stack.frame()", "\t|HTTP/1.1"),
    nastyText(6),
  );

  it("every line is in exactly one record, whole and in order, or counted as unparsed", () => {
    fc.assert(
      fc.property(
        fc.array(lineText, { maxLength: 200 }),
        fc.constantFrom("#", "", " ", "c"),
        (texts, mark) => {
          const isStart = (l: string) => l.startsWith(mark) && l.length > 0;
          const records: RawRecord[] = [];
          const a = new RecordAssembler({ isRecordStart: isStart }, (r) => records.push(r));
          let byte = 0;
          const lines = texts.map((text, i) => {
            const line = { text, number: i + 1, byteStart: byte, byteEnd: byte + text.length };
            byte += text.length + 1;
            return line;
          });
          for (const l of lines) a.line(l);
          a.end();
          const firstStart = texts.findIndex(isStart);
          expect(a.unparsedLines).toBe(firstStart < 0 ? texts.length : firstStart);
          expect(records.reduce((n, r) => n + r.lines.length, 0) + a.unparsedLines).toBe(texts.length);
          let next = firstStart < 0 ? texts.length : firstStart;
          for (const r of records) {
            expect(r.firstLine).toBe(next + 1);
            expect(r.lines).toEqual(texts.slice(next, next + r.lines.length));
            expect(isStart(r.lines[0]!)).toBe(true);
            for (const l of r.lines.slice(1)) expect(isStart(l)).toBe(false);
            expect(r.byteStart).toBe(lines[next]!.byteStart);
            expect(r.byteEnd).toBe(lines[next + r.lines.length - 1]!.byteEnd);
            next += r.lines.length;
          }
          expect(next).toBe(texts.length);
          expect(a.oversizedRecords).toBe(0);
        },
      ),
      fuzzParams(300),
    );
  });

  it("a record past the line or character limit is cut, and the rest counted as unparsed", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: MAX_RECORD_LINES - 3, max: MAX_RECORD_LINES + 3 }),
        fc.integer({ min: 0, max: 5 }),
        (continuations, big) => {
          const records: RawRecord[] = [];
          const a = new RecordAssembler({ isRecordStart: (l) => l === "H" }, (r) => records.push(r));
          const long = "x".repeat(MAX_RECORD_CHARS / 4);
          let n = 0;
          const feed = (text: string) => a.line({ text, number: ++n, byteStart: 0, byteEnd: 0 });
          feed("H");
          for (let i = 0; i < big; i++) feed(long);
          for (let i = 0; i < continuations; i++) feed("c");
          feed("H");
          a.end();
          // The header (1 character) and three quarters of the limit fit, a fourth does not; past
          // the character limit, or MAX_RECORD_LINES lines, every line of the record is cut.
          let kept: number;
          let cut: number;
          if (big > 3) {
            kept = 3;
            cut = big - 3 + continuations;
          } else {
            kept = big + Math.min(continuations, MAX_RECORD_LINES - 1 - big);
            cut = big + continuations - kept;
          }
          expect(records.map((r) => r.lines.length)).toEqual([1 + kept, 1]);
          expect(a.unparsedLines).toBe(cut);
          expect(a.oversizedRecords).toBe(cut > 0 ? 1 : 0);
        },
      ),
      fuzzParams(6),
    );
  });
});

// ---- encoding -----------------------------------------------------------------------------------

describe("fuzz: guessEncoding", () => {
  it("never throws; a BOM decides; binary is a UTF-8 verdict; only the first 8 KiB count", () => {
    fc.assert(
      fc.property(nastyBytes(), fc.uint8Array({ maxLength: 64 }), (bytes, tail) => {
        const g = guessEncoding(bytes);
        if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
          expect(g).toMatchObject({ encoding: "utf-8", bomLength: 3 });
        else if (bytes[0] === 0xff && bytes[1] === 0xfe)
          expect(g).toEqual({ encoding: "utf-16le", bomLength: 2, binary: false });
        else if (bytes[0] === 0xfe && bytes[1] === 0xff)
          expect(g).toEqual({ encoding: "utf-16be", bomLength: 2, binary: false });
        else expect(g.bomLength).toBe(0);
        if (g.binary) expect(g.encoding).toBe("utf-8");
        const head = concatBytes([bytes, new Uint8Array(Math.max(0, 8192 - bytes.length)).fill(0x61)]);
        expect(guessEncoding(concatBytes([head, tail]))).toEqual(guessEncoding(head));
      }),
      fuzzParams(300),
    );
  });

  it("text is never binary: UTF-8 without NUL or stray controls, UTF-16 with or without a BOM", () => {
    // Without the control characters looksBinary counts (all but tab, LF, VT, FF, CR and ESC).
    const stray = (c: number) => c < 9 || (c > 13 && c < 27) || (c > 27 && c < 32);
    const text = nastyText(60).map((s) => [...s].filter((c) => !stray(c.charCodeAt(0))).join(""));
    fc.assert(
      fc.property(text, (s) => {
        expect(guessEncoding(enc.encode(s))).toMatchObject({ encoding: "utf-8", binary: false });
        expect(guessEncoding(utf16Bytes(s, true, true))).toEqual({
          encoding: "utf-16le",
          bomLength: 2,
          binary: false,
        });
        expect(guessEncoding(utf16Bytes(s, false, true))).toEqual({
          encoding: "utf-16be",
          bomLength: 2,
          binary: false,
        });
        // ASCII without a BOM: the zero bytes say it, given 4 characters.
        const ascii = [...s].filter((c) => c.charCodeAt(0) < 0x80).join("");
        if (ascii.length >= 4) {
          expect(guessEncoding(utf16Bytes(ascii, true, false)).encoding).toBe("utf-16le");
          expect(guessEncoding(utf16Bytes(ascii, false, false)).encoding).toBe("utf-16be");
        }
      }),
      fuzzParams(300),
    );
  });
});

// ---- archives -----------------------------------------------------------------------------------

function octal(h: Uint8Array, at: number, width: number, value: number): void {
  h.set(enc.encode(value.toString(8).padStart(width - 1, "0") + "\0"), at);
}

/** Sets the header checksum, so that a reader goes on to the other fields. */
function checksum(h: Uint8Array): Uint8Array {
  h.fill(32, 148, 156);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += h[i]!;
  h.set(enc.encode(sum.toString(8).padStart(6, "0") + "\0 "), 148);
  return h;
}

function tarHeader(name: string, size: number, type = "0"): Uint8Array {
  const h = new Uint8Array(512);
  h.set(enc.encode(name).subarray(0, 100), 0);
  octal(h, 100, 8, 0o644);
  octal(h, 124, 12, size);
  h[156] = type.charCodeAt(0);
  h.set(enc.encode("ustar\u000000"), 257);
  return checksum(h);
}

function tar(entries: [string, Uint8Array][]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const [name, data] of entries) {
    if (enc.encode(name).length > 100) {
      const body = ` path=${name}\n`;
      const len = body.length + String(body.length + 3).length;
      const record = enc.encode(`${len}${body}`);
      parts.push(tarHeader("PaxHeader/x", record.length, "x"), record, new Uint8Array(-record.length & 511));
    }
    parts.push(tarHeader(name, data.length), data, new Uint8Array(-data.length & 511));
  }
  parts.push(new Uint8Array(1024));
  return concatBytes(parts);
}

const JABBER = readSample("mra-oauth/jabber.log");
const EXPE = readSample("mra-oauth/expressway-e.log");
const EXPC = readSample("mra-oauth/expressway-c.log");
const SDL = readSample("cti-deskphone/ctimanager-sdl.txt");
const LONG = "loggingsnapshot/" + "a-rather-long-directory-name/".repeat(4) + "expressway-c.log";

/** Real-looking bundles: a problem report zip (deflated and stored), a gz, a tar, a tgz, nesting. */
const ARCHIVES: [string, Uint8Array][] = [
  [
    "prt.zip",
    zipSync({
      "jabber.log": JABBER,
      "jabber.log.1": [EXPE, { level: 0 }],
      "logs/expressway-c.log.gz": gzipSync(EXPC),
      "inner.zip": zipSync({ "sdl.txt": SDL }),
    }),
  ],
  ["jabber.log.gz", gzipSync(JABBER, { filename: "jabber.log" })],
  [
    "diag.tar",
    tar([
      ["tmp/expressway-e.log", EXPE],
      [LONG, EXPC],
    ]),
  ],
  [
    "diag.tgz",
    gzipSync(
      tar([
        ["a/jabber.log", JABBER],
        ["a/b/inner.zip", zipSync({ "x.log": EXPE })],
      ]),
    ),
  ],
  ["stored.zip", zipSync({ "a.log": [JABBER, { level: 0 }], "b.log": [SDL, { level: 0 }] })],
];

/** What the undamaged archives expand to, by member name. */
const ORIGINAL = new Map<string, Uint8Array>();
const originalErrors: string[] = [];
for (const [name, bytes] of ARCHIVES) {
  const r = expandArchive(name, bytes);
  originalErrors.push(...r.errors);
  for (const m of r.members) ORIGINAL.set(m.name, m.bytes);
}

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);
const isPrefix = (part: Uint8Array, of: Uint8Array) =>
  part.length <= of.length && same(part, of.subarray(0, part.length));

/** What must hold of any expansion: no reader exception, members named under the archive, limits kept. */
function checkResult(name: string, r: ArchiveResult, limits: ArchiveLimits | undefined): void {
  const crashes = r.errors.filter((e) => e.includes("could not be read"));
  if (crashes.length) throw new Error(crashes.join("; "));
  for (const m of [...r.members, ...r.skipped]) expect(m.name.startsWith(`${name}/`)).toBe(true);
  if (limits) {
    expect(r.members.length + r.skipped.length).toBeLessThanOrEqual(limits.maxMembers);
    expect(r.expandedBytes).toBeLessThanOrEqual(limits.maxTotalBytes);
  }
  // Members are parsed as dropped files are: that must hold too.
  for (const m of r.members) checkParsed(m.bytes, parse(m.bytes, m.name));
}

const limitsArb: fc.Arbitrary<ArchiveLimits | undefined> = fc.option(
  fc.record({
    maxTotalBytes: fc.integer({ min: 0, max: 200_000 }),
    maxMemberBytes: fc.integer({ min: 0, max: 100_000 }),
    maxMembers: fc.integer({ min: 0, max: 8 }),
    maxDepth: fc.integer({ min: 0, max: 4 }),
    maxRatio: fc.integer({ min: 1, max: 300 }),
    ratioFloorBytes: fc.integer({ min: 0, max: 50_000 }),
  }),
  { nil: undefined },
);

const archiveName = fc.constantFrom("a.zip", "b.gz", "c.tgz", "d.tar", "e.tar.gz", "f.log", "g", "h.log.gz");

/** A 512-byte tar header of random fields, its checksum right: the reader gets past it. */
const randomTarHeader = fc
  .tuple(
    fc.uint8Array({ minLength: 512, maxLength: 512 }),
    fc.constantFrom("0", "\0", "5", "x", "L", "g", "K", "1", "2", "7", "S"),
    fc.oneof(
      fc.nat({ max: 3000 }).map((n) => n.toString(8).padStart(11, "0") + "\0"),
      fc.string({ maxLength: 12 }),
    ),
    fc.boolean(),
    fc.uint8Array({ maxLength: 3000 }),
  )
  .map(([h, type, size, ustar, data]) => {
    h = h.slice();
    h[156] = type.charCodeAt(0);
    h.set(enc.encode(size).subarray(0, 12), 124);
    if (ustar) h.set(enc.encode("ustar\u000000"), 257);
    return concatBytes([checksum(h), data]);
  });

const randomArchiveBytes = fc.oneof(
  fc.uint8Array({ maxLength: 3000 }),
  fc
    .tuple(
      fc.constantFrom(
        [0x50, 0x4b, 3, 4],
        [0x50, 0x4b, 5, 6],
        [0x1f, 0x8b],
        [0x1f, 0x8b, 8, 0xff],
        [0x1f, 0x8b, 8, 4],
      ),
      fc.uint8Array({ maxLength: 3000 }),
    )
    .map(([magic, rest]) => concatBytes([new Uint8Array(magic), rest])),
  fc.array(randomTarHeader, { minLength: 1, maxLength: 3 }).map(concatBytes),
);

type Damage =
  | { op: "cut"; at: number }
  | { op: "flip"; at: number; bit: number }
  | { op: "overwrite"; at: number; bytes: Uint8Array }
  | { op: "insert"; at: number; bytes: Uint8Array }
  | { op: "delete"; at: number; n: number };

const at = fc.nat({ max: 1 << 20 });
const damage: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ op: fc.constant("cut" as const), at }),
  fc.record({ op: fc.constant("flip" as const), at, bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({
    op: fc.constant("overwrite" as const),
    at,
    bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
  }),
  fc.record({
    op: fc.constant("insert" as const),
    at,
    bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
  }),
  fc.record({ op: fc.constant("delete" as const), at, n: fc.integer({ min: 1, max: 64 }) }),
);

function applyDamage(b: Uint8Array, d: Damage): Uint8Array {
  const i = d.at % (b.length + 1);
  switch (d.op) {
    case "cut":
      return b.subarray(0, i);
    case "flip": {
      const out = b.slice();
      if (b.length) out[i % b.length]! ^= 1 << d.bit;
      return out;
    }
    case "overwrite": {
      const out = b.slice();
      out.set(d.bytes.subarray(0, b.length - i), i);
      return out;
    }
    case "insert":
      return concatBytes([b.subarray(0, i), d.bytes, b.subarray(i)]);
    case "delete":
      return concatBytes([b.subarray(0, i), b.subarray(i + d.n)]);
  }
}

describe("fuzz: archives", () => {
  it("the undamaged bundles expand to their members, whole", () => {
    expect(originalErrors).toEqual([]);
    for (const [name, bytes] of ARCHIVES) checkResult(name, expandArchive(name, bytes), undefined);
    expect(same(ORIGINAL.get("prt.zip/logs/expressway-c.log.gz/expressway-c.log")!, EXPC)).toBe(true);
    expect(same(ORIGINAL.get("prt.zip/inner.zip/sdl.txt")!, SDL)).toBe(true);
    expect(same(ORIGINAL.get(`diag.tar/${LONG}`)!, EXPC)).toBe(true);
    expect(same(ORIGINAL.get("diag.tgz/a/b/inner.zip/x.log")!, EXPE)).toBe(true);
    expect(ORIGINAL.size).toBe(11);
  });

  it("random bytes, under any name and limits: errors and skipped entries, never an exception", () => {
    fc.assert(
      fc.property(archiveName, randomArchiveBytes, limitsArb, (name, bytes, limits) => {
        archiveKind(name, bytes);
        const r = expandArchive(name, bytes, limits);
        checkResult(name, r, limits);
        expandBytes(name, bytes, limits);
        const all = expandAll([{ name, bytes }], limits);
        if (archiveKind(name, bytes.subarray(0, 8192))) checkResult(name, all, limits);
        else expect(all.members).toEqual([{ name, bytes }]);
      }),
      fuzzParams(400),
    );
  });

  it("damaged real archives, under any limits: errors and skipped entries, never an exception", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ARCHIVES),
        fc.array(damage, { minLength: 1, maxLength: 4 }),
        limitsArb,
        ([name, original], damages, limits) => {
          const bytes = damages.reduce(applyDamage, original);
          checkResult(name, expandArchive(name, bytes, limits), limits);
          expandBytes(name, bytes, limits);
        },
      ),
      fuzzParams(300),
    );
  });

  it("a truncated archive keeps prefixes of its members, never bytes that were not there", () => {
    const archivePaths = new Set(
      [...ORIGINAL.keys()].flatMap((n) => n.split("/").map((_, i, p) => p.slice(0, i).join("/"))),
    );
    fc.assert(
      fc.property(fc.constantFrom(...ARCHIVES), fc.nat(), ([name, original], n) => {
        const cut = n % (original.length + 1);
        const r = expandArchive(name, original.subarray(0, cut));
        checkResult(name, r, undefined);
        // A zip loses its central directory, a gzip its trailer: either way the cut is reported.
        // (A tar cut between members reads as a shorter tar: tar has nothing to tell.)
        if (cut < original.length && !name.endsWith(".tar")) expect(r.errors).not.toEqual([]);
        for (const m of r.members) {
          const whole = ORIGINAL.get(m.name);
          if (whole) expect(isPrefix(m.bytes, whole), m.name).toBe(true);
          // A nested archive cut to a few bytes is no longer recognisable: it comes out as itself.
          else expect(archivePaths.has(m.name), m.name).toBe(true);
        }
      }),
      fuzzParams(300),
    );
  });
});
