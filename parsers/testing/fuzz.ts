import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { concatBytes } from "../io/bytes.ts";
import type { FileInfo } from "../model/files.ts";
import type { SourceId } from "../sources/types.ts";
import { parse, samplePath, type ParsedText } from "./sourceHarness.ts";

/**
 * Test-only generators for the property and fuzz tests: nasty text, random bytes, and real
 * sample lines mutated the ways copied, cut and hand-edited logs arrive.
 *
 * Runs are reproducible: a fixed seed unless UCSNOOP_FUZZ_SEED says otherwise, and
 * UCSNOOP_FUZZ_RUNS multiplies every numRuns (for a long exploring run, not for CI). A failure
 * prints its seed and path: UCSNOOP_FUZZ_SEED=<seed> UCSNOOP_FUZZ_PATH=<path> with `-t <test>`
 * replays just the shrunk case.
 */

const SEED = Number(process.env.UCSNOOP_FUZZ_SEED ?? 0x5eed);
const RUNS = Number(process.env.UCSNOOP_FUZZ_RUNS ?? 1);
const PATH = process.env.UCSNOOP_FUZZ_PATH;

export function fuzzParams(numRuns: number): fc.Parameters<unknown> {
  return {
    seed: SEED,
    numRuns: Math.max(1, Math.round(numRuns * RUNS)),
    ...(PATH ? { path: PATH, endOnFailure: true } : {}),
  };
}

const enc = new TextEncoder();

// ---- samples ------------------------------------------------------------------------------------

export interface SampleFile {
  /** "mra-oauth/jabber.log" */
  path: string;
  bytes: Uint8Array;
  /** The source the file is detected as. */
  source: SourceId | "unknown";
  lines: string[];
}

let samples: SampleFile[] | null = null;

/** Every log under public/samples/<id>/ (not the manifests and READMEs), with its detected source. */
export function sampleFiles(): SampleFile[] {
  if (samples) return samples;
  const root = samplePath("");
  samples = [];
  for (const dir of readdirSync(root, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const file of readdirSync(`${root}/${dir.name}`)) {
      if (file === "bundle.json" || file === "README.md") continue;
      const path = `${dir.name}/${file}`;
      const bytes = new Uint8Array(readFileSync(`${root}/${path}`));
      const source = parse(bytes, file).info.source;
      samples.push({ path, bytes, source, lines: new TextDecoder().decode(bytes).split(/\r?\n/) });
    }
  }
  return samples;
}

/** Words of every sample line: the fuzzer's vocabulary, so random text reaches the parsers' branches. */
function sampleTokens(): string[] {
  const tokens = new Set<string>();
  for (const f of sampleFiles())
    for (const line of f.lines) for (const t of line.split(/[\s"'=,;]+/)) if (t) tokens.add(t);
  return [...tokens].sort();
}

// ---- text and bytes -----------------------------------------------------------------------------

const SEPARATORS = ["|", ":", "[", "]", "<", ">", "=", '"', "/", "{", "}", ",", ";", "(", ")", " ", "\t"];

/** One piece of hostile text: control characters, lone surrogates, BOMs, separators, huge tokens. */
export const nastyPiece: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ unit: "grapheme-ascii", maxLength: 8 }), weight: 4 },
  { arbitrary: fc.constantFrom(...SEPARATORS), weight: 4 },
  {
    arbitrary: fc.constantFrom("\n", "\r", "\r\n", "\0", "\u000b", "\f", "\u001b", "^M", "\u2028"),
    weight: 3,
  },
  { arbitrary: fc.constantFrom("\ufeff", "\u00a0", "\ufffd", "é", "–", "日本", "😀"), weight: 1 },
  { arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), weight: 1 },
  { arbitrary: fc.string({ unit: "binary", maxLength: 4 }), weight: 1 },
  { arbitrary: fc.stringMatching(/^-?[0-9]{1,25}(\.[0-9]{1,12})?$/), weight: 2 },
  { arbitrary: fc.constantFrom("NaN", "Infinity", "-0", "1e400", "0x1f", "99999999999999999999"), weight: 1 },
  {
    arbitrary: fc
      .tuple(fc.constantFrom("a", "0", " ", "|", "<", "%", "\\"), fc.integer({ min: 1000, max: 12000 }))
      .map(([c, n]) => c.repeat(n)),
    weight: 1,
  },
);

let tokenArb: fc.Arbitrary<string> | null = null;
/** A word of some sample log ("SIPMSG:", "Txn-id", "<iq", "2020-03-24T16:31:00.962-06:00"). */
export function sampleToken(): fc.Arbitrary<string> {
  tokenArb ??= fc.constantFrom(...sampleTokens());
  return tokenArb;
}

/** A line-ish string of sample words and nasty pieces. */
export function nastyText(maxPieces = 40): fc.Arbitrary<string> {
  return fc
    .array(fc.oneof({ arbitrary: sampleToken(), weight: 3 }, { arbitrary: nastyPiece, weight: 2 }), {
      maxLength: maxPieces,
    })
    .map((parts) => parts.join(""));
}

/** UTF-16 code units as bytes, lone surrogates kept (TextEncoder would replace them). */
export function utf16Bytes(s: string, littleEndian: boolean, bom: boolean): Uint8Array {
  const out = new Uint8Array((bom ? 2 : 0) + s.length * 2);
  const view = new DataView(out.buffer);
  if (bom) view.setUint16(0, 0xfeff, littleEndian);
  for (let i = 0; i < s.length; i++) view.setUint16((bom ? 2 : 0) + i * 2, s.charCodeAt(i), littleEndian);
  return out;
}

const INVALID_UTF8 = [
  [0xc3], // a lead byte with no continuation
  [0x80], // a lone continuation
  [0xed, 0xa0, 0x80], // a UTF-8-encoded surrogate
  [0xc0, 0xaf], // overlong "/"
  [0xf8, 0x88, 0x80, 0x80, 0x80], // a five-byte form
  [0xf4, 0x90, 0x80, 0x80], // past U+10FFFF
  [0xff],
  [0xfe],
  [0xef, 0xbb, 0xbf], // a BOM mid-file
];

/** Bytes of hostile text: UTF-8 (with invalid sequences spliced in), UTF-16 with or without BOM, or raw. */
export function nastyBytes(maxPieces = 60): fc.Arbitrary<Uint8Array> {
  const utf8 = fc
    .array(
      fc.oneof(
        { arbitrary: nastyText(4).map((s) => enc.encode(s)), weight: 6 },
        { arbitrary: fc.constantFrom(...INVALID_UTF8).map((b) => new Uint8Array(b)), weight: 1 },
        { arbitrary: fc.uint8Array({ maxLength: 6 }), weight: 1 },
      ),
      { maxLength: maxPieces },
    )
    .map(concatBytes);
  return fc.oneof(
    { arbitrary: utf8, weight: 5 },
    {
      arbitrary: fc.tuple(fc.constantFrom(...BOMS), utf8).map(([bom, b]) => concatBytes([bom, b])),
      weight: 1,
    },
    {
      arbitrary: fc
        .tuple(nastyText(maxPieces), fc.boolean(), fc.boolean(), fc.boolean())
        .map(([s, le, bom, odd]) => {
          const b = utf16Bytes(s, le, bom);
          return odd ? concatBytes([b, new Uint8Array([0x41])]) : b;
        }),
      weight: 2,
    },
    { arbitrary: fc.uint8Array({ maxLength: 2000 }), weight: 1 },
  );
}

const BOMS = [new Uint8Array([0xef, 0xbb, 0xbf]), new Uint8Array([0xff, 0xfe]), new Uint8Array([0xfe, 0xff])];

export { concatBytes };

// ---- mutated real lines -------------------------------------------------------------------------

/** One edit of a log's lines; positions are taken modulo the length at the time of the edit. */
export type LineEdit =
  | { op: "truncate"; line: number; at: number }
  | { op: "insert"; line: number; at: number; text: string }
  | { op: "delete"; line: number; at: number; n: number }
  | { op: "duplicate"; line: number; times: number }
  | { op: "drop"; line: number; n: number }
  | { op: "swap"; a: number; b: number }
  | { op: "reverse"; line: number; n: number }
  | { op: "shuffle"; line: number; keys: number[] }
  | { op: "splice"; line: number; lines: string[] }
  | { op: "digits"; line: number; with: string }
  | { op: "separator"; line: number; sep: string; double: boolean; all: boolean }
  | { op: "blank"; line: number; text: string };

/** One edit of the joined bytes. */
export type ByteEdit =
  | { op: "flip"; at: number; bit: number }
  | { op: "insertByte"; at: number; byte: number }
  | { op: "deleteBytes"; at: number; n: number }
  | { op: "cut"; at: number }
  | { op: "overwrite"; at: number; bytes: Uint8Array };

const pos = fc.nat({ max: 1 << 20 });

function lineEdit(foreignLines: fc.Arbitrary<string>): fc.Arbitrary<LineEdit> {
  return fc.oneof(
    fc.record({ op: fc.constant("truncate" as const), line: pos, at: pos }),
    fc.record({ op: fc.constant("insert" as const), line: pos, at: pos, text: nastyText(6) }),
    fc.record({ op: fc.constant("delete" as const), line: pos, at: pos, n: fc.integer({ min: 1, max: 40 }) }),
    fc.record({ op: fc.constant("duplicate" as const), line: pos, times: fc.integer({ min: 1, max: 3 }) }),
    fc.record({ op: fc.constant("drop" as const), line: pos, n: fc.integer({ min: 1, max: 8 }) }),
    fc.record({ op: fc.constant("swap" as const), a: pos, b: pos }),
    fc.record({ op: fc.constant("reverse" as const), line: pos, n: fc.integer({ min: 2, max: 20 }) }),
    fc.record({
      op: fc.constant("shuffle" as const),
      line: pos,
      keys: fc.array(fc.nat(), { minLength: 2, maxLength: 30 }),
    }),
    fc.record({
      op: fc.constant("splice" as const),
      line: pos,
      lines: fc.array(foreignLines, { minLength: 1, maxLength: 5 }),
    }),
    fc.record({
      op: fc.constant("digits" as const),
      line: pos,
      with: fc.constantFrom("0", "9", "99", "00000000000000000000", "-1", "", "x"),
    }),
    fc.record({
      op: fc.constant("separator" as const),
      line: pos,
      sep: fc.constantFrom("|", ":", "[", "]", "<", ">", "=", '"', " ", "/", "-", ".", ","),
      double: fc.boolean(),
      all: fc.boolean(),
    }),
    fc.record({
      op: fc.constant("blank" as const),
      line: pos,
      text: fc.constantFrom("", " ", "\t", "   \t ", "\r", "^M", "\ufeff"),
    }),
  );
}

const byteEdit: fc.Arbitrary<ByteEdit> = fc.oneof(
  {
    arbitrary: fc.record({ op: fc.constant("flip" as const), at: pos, bit: fc.integer({ min: 0, max: 7 }) }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      op: fc.constant("insertByte" as const),
      at: pos,
      byte: fc.integer({ min: 0, max: 255 }),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      op: fc.constant("deleteBytes" as const),
      at: pos,
      n: fc.integer({ min: 1, max: 16 }),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      op: fc.constant("overwrite" as const),
      at: pos,
      bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
    }),
    weight: 3,
  },
  // Rarer: it throws away the rest of the file.
  { arbitrary: fc.record({ op: fc.constant("cut" as const), at: pos }), weight: 1 },
);

export function applyLineEdit(lines: string[], e: LineEdit): string[] {
  const n = lines.length;
  if (n === 0) return e.op === "splice" ? [...e.lines] : lines;
  const out = [...lines];
  const i = "line" in e ? e.line % n : 0;
  const line = out[i]!;
  switch (e.op) {
    case "truncate":
      out[i] = line.slice(0, e.at % (line.length + 1));
      break;
    case "insert": {
      const at = e.at % (line.length + 1);
      out[i] = line.slice(0, at) + e.text + line.slice(at);
      break;
    }
    case "delete": {
      const at = e.at % (line.length + 1);
      out[i] = line.slice(0, at) + line.slice(at + e.n);
      break;
    }
    case "duplicate":
      out.splice(i, 0, ...Array<string>(e.times).fill(line));
      break;
    case "drop":
      out.splice(i, e.n);
      break;
    case "swap": {
      const a = e.a % n;
      const b = e.b % n;
      [out[a], out[b]] = [out[b]!, out[a]!];
      break;
    }
    case "reverse":
      out.splice(i, e.n, ...out.slice(i, i + e.n).reverse());
      break;
    case "shuffle": {
      // The lines from i, in the order of their keys: a permutation fast-check can shrink.
      const run = out.slice(i, i + e.keys.length);
      const order = run.map((_, k) => k).sort((a, b) => e.keys[a]! - e.keys[b]! || a - b);
      out.splice(i, run.length, ...order.map((k) => run[k]!));
      break;
    }
    case "splice":
      out.splice(i, 0, ...e.lines);
      break;
    case "digits":
      out[i] = line.replace(/\d/g, e.with);
      break;
    case "separator": {
      const by = e.double ? e.sep + e.sep : "";
      out[i] = e.all ? line.split(e.sep).join(by) : line.replace(e.sep, by);
      break;
    }
    case "blank":
      out.splice(i, 0, e.text);
      break;
  }
  return out;
}

export function applyByteEdit(b: Uint8Array, e: ByteEdit): Uint8Array {
  const at = e.at % (b.length + 1);
  switch (e.op) {
    case "flip": {
      if (b.length === 0) return b;
      const out = b.slice();
      out[at % b.length]! ^= 1 << e.bit;
      return out;
    }
    case "insertByte":
      return concatBytes([b.subarray(0, at), new Uint8Array([e.byte]), b.subarray(at)]);
    case "deleteBytes":
      return concatBytes([b.subarray(0, at), b.subarray(at + e.n)]);
    case "cut":
      return b.subarray(0, at);
    case "overwrite": {
      const out = b.slice();
      out.set(e.bytes.subarray(0, Math.max(0, b.length - at)), at);
      return out;
    }
  }
}

export interface Mutated {
  file: string;
  edits: LineEdit[];
  byteEdits: ByteEdit[];
  bytes: Uint8Array;
}

/**
 * A sample log of one of `files`, a window of its lines or all of them, edited line by line
 * (cut, spliced, separators stripped, digits replaced, 10 000-character tokens) and then byte
 * by byte, joined with LF or CRLF, with or without a last terminator.
 */
export function mutatedSample(files: SampleFile[], foreign: SampleFile[]): fc.Arbitrary<Mutated> {
  const foreignLines = fc.constantFrom(...foreign.flatMap((f) => f.lines.filter((l) => l.length > 0)));
  return fc
    .record({
      file: fc.constantFrom(...files),
      window: fc.oneof(
        { arbitrary: fc.constant(undefined), weight: 3 },
        { arbitrary: fc.tuple(pos, fc.integer({ min: 1, max: 80 })), weight: 1 },
      ),
      edits: fc.array(lineEdit(foreignLines), { maxLength: 8 }),
      byteEdits: fc.array(byteEdit, { maxLength: 2 }),
      eol: fc.constantFrom("\n", "\r\n", "\n", "\r\r\n"),
      lastEol: fc.boolean(),
    })
    .map(({ file, window, edits, byteEdits, eol, lastEol }) => {
      let lines = file.lines.at(-1) === "" ? file.lines.slice(0, -1) : file.lines;
      if (window) {
        const from = window[0] % Math.max(1, lines.length);
        lines = lines.slice(from, from + window[1]);
      }
      for (const e of edits) lines = applyLineEdit(lines, e);
      let bytes: Uint8Array = enc.encode(lines.join(eol) + (lastEol && lines.length ? eol : ""));
      for (const e of byteEdits) bytes = applyByteEdit(bytes, e);
      return { file: file.path, edits, byteEdits, bytes };
    });
}

/** Repeat `bytes` past `min` bytes: the ingest only slices after its 64 KiB detection head. */
export function repeatPast(bytes: Uint8Array, min: number): Uint8Array {
  if (bytes.length === 0) return bytes;
  const times = Math.ceil((min + 1) / bytes.length);
  return concatBytes(Array<Uint8Array>(times).fill(bytes));
}

// ---- invariants ---------------------------------------------------------------------------------

/**
 * The lines the splitter must report for `bytes`, read independently of it: a line per LF, plus
 * a last unterminated one when bytes (UTF-8) or code units (UTF-16) follow the last LF; a BOM is
 * not a line. None for a file the ingest refused as binary.
 */
export function expectedLineCount(bytes: Uint8Array, info: FileInfo): number {
  if (info.encoding === null) return 0;
  if (info.encoding === "utf-8") {
    const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
    let lf = 0;
    for (const b of body) if (b === 0x0a) lf++;
    return lf + (body.length > 0 && body[body.length - 1] !== 0x0a ? 1 : 0);
  }
  const le = info.encoding === "utf-16le";
  const bom = le ? bytes[0] === 0xff && bytes[1] === 0xfe : bytes[0] === 0xfe && bytes[1] === 0xff;
  const text = new TextDecoder(info.encoding).decode(bytes.subarray(bom ? 2 : 0));
  let lf = 0;
  for (const c of text) if (c === "\n") lf++;
  return lf + (text.length > 0 && !text.endsWith("\n") ? 1 : 0);
}

/**
 * What holds for every parse of every input: no parser exception (the ingest turns one into a
 * "parser error" warning), and every line in exactly one record or counted as unparsed.
 */
export function checkParsed(bytes: Uint8Array, p: ParsedText): void {
  const { info, store } = p;
  const crashes = info.warnings.filter((w) => w.includes("parser error"));
  if (crashes.length) throw new Error(`${info.source}: ${crashes.join("; ")}`);
  let recordLines = 0;
  for (let i = info.recordStart; i < info.recordEnd; i++) recordLines += store.records.lineCount.get(i);
  const expected = expectedLineCount(bytes, info);
  if (info.lines !== expected)
    throw new Error(`${info.source}: info.lines ${info.lines}, the input has ${expected} lines`);
  if (recordLines + info.unparsedLines !== info.lines)
    throw new Error(
      `${info.source}: ${recordLines} lines in records + ${info.unparsedLines} unparsed != ${info.lines} lines`,
    );
}
