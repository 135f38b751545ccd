import { GUESS_BYTES, guessEncoding, type TextEncoding } from "./encoding.ts";

/** One physical line of a file, with its place in the file. */
export interface Line {
  text: string;
  /** 1-based line number. */
  number: number;
  /** Byte offsets of the line in the file, terminator excluded. */
  byteStart: number;
  byteEnd: number;
}

export type LineSink = (line: Line) => void;

/**
 * What the ingest gives the splitter instead of a LineSink: the line's fields as arguments (no
 * object per line), and whether the line contains the splitter's marker, which the splitter
 * finds once per decoded piece rather than once per line.
 */
export interface LineReceiver {
  take(text: string, number: number, byteStart: number, byteEnd: number, marked: boolean): void;
}

/** A LineSink behind the LineReceiver interface. */
class SinkReceiver implements LineReceiver {
  constructor(private readonly sink: LineSink) {}

  take(text: string, number: number, byteStart: number, byteEnd: number): void {
    this.sink({ text, number, byteStart, byteEnd });
  }
}

const LF = 0x0a;

/**
 * A line longer than this (a file with no newline, a base64 blob on one line) is cut: its text is
 * its first MAX_LINE_BYTES bytes (UTF-16: half as many code units), its byte range the whole line.
 * So a 100 MB file without a newline costs 1 MiB, not a 100 MB string.
 */
export const MAX_LINE_BYTES = 1 << 20;
const MAX_LINE_UNITS = MAX_LINE_BYTES / 2;

/**
 * Bytes in, lines out, whatever the slice boundaries. UTF-8 is decoded one line-aligned piece
 * at a time (a LF byte never occurs inside a multi-byte sequence), which is both faster than a
 * streaming decoder with string concatenation and exact about byte offsets. UTF-16 goes through
 * a streaming decoder; its byte offsets are two per code unit.
 */
export class LineSplitter {
  private encoding: TextEncoding | null = null;
  private bomLength = 0;
  /** Bytes seen before the encoding is known (fewer than GUESS_BYTES). */
  private head: Uint8Array = new Uint8Array(0);
  /** The unfinished last line: carryLen bytes of carryBuf, which grows by doubling. */
  private carryBuf: Uint8Array = new Uint8Array(0);
  private carryLen = 0;
  /** File offset of the carry's first byte. */
  private carryStart = 0;
  /** File offset of the next byte to arrive (after the encoding is known). */
  private pos = 0;
  /** The line being carried is past MAX_LINE_BYTES: carry holds its first bytes, the rest is dropped. */
  private long = false;
  private utf16Long = false;
  /** Lines cut at MAX_LINE_BYTES. */
  overlongLines = 0;
  private lineNumber = 0;
  private utf16: TextDecoder | null = null;
  private utf16Tail = "";
  private utf16TailStart = 0;
  private utf16Units = 0;
  private readonly utf8 = new TextDecoder("utf-8");
  binary = false;
  private readonly receiver: LineReceiver;

  /** `marker`: lines that contain it are passed as marked (a LineReceiver's `marked`). */
  constructor(
    sink: LineSink | LineReceiver,
    private readonly marker = "",
  ) {
    this.receiver = typeof sink === "function" ? new SinkReceiver(sink) : sink;
  }

  get encodingName(): TextEncoding | null {
    return this.encoding;
  }

  get lines(): number {
    return this.lineNumber;
  }

  push(chunk: Uint8Array): void {
    if (this.binary) return;
    if (this.encoding === null) {
      // Wait for the bytes the guess reads, so that it does not depend on the slicing.
      const head = concat(this.head, chunk);
      if (head.length < GUESS_BYTES) {
        this.head = head.slice();
        return;
      }
      this.head = new Uint8Array(0);
      this.start(head);
      return;
    }
    if (this.utf16) this.pushUtf16(chunk);
    else this.pushUtf8(chunk);
  }

  end(): void {
    if (this.encoding === null) {
      if (this.head.length === 0) return;
      const head = this.head;
      this.head = new Uint8Array(0);
      this.start(head);
      if (this.binary) return;
    }
    if (this.utf16) {
      const rest = this.utf16.decode();
      if (!this.utf16Long) this.utf16Tail += rest;
      this.utf16Long = false;
      // What the decoder flushes (a lone surrogate, an odd last byte) ends at the file's end.
      if (this.utf16Tail.length > 0) this.emit(this.utf16Tail, this.utf16TailStart, this.pos);
      this.utf16Tail = "";
      return;
    }
    if (this.carryLen > 0) {
      this.emit(this.utf8.decode(this.carried()), this.carryStart, this.pos);
      this.carryStart = this.pos;
      this.carryLen = 0;
      this.long = false;
    }
  }

  private start(head: Uint8Array): void {
    const guess = guessEncoding(head);
    this.encoding = guess.encoding;
    this.bomLength = guess.bomLength;
    this.binary = guess.binary;
    if (this.binary) return;
    const body = head.subarray(guess.bomLength);
    this.carryStart = guess.bomLength;
    this.pos = guess.bomLength;
    if (guess.encoding === "utf-8") {
      this.pushUtf8(body);
    } else {
      // The BOM is skipped here; a second U+FEFF is text (cleanLine drops it from a line's start).
      this.utf16 = new TextDecoder(guess.encoding, { ignoreBOM: true });
      this.utf16TailStart = guess.bomLength;
      this.pushUtf16(body);
    }
  }

  private pushUtf8(chunk: Uint8Array): void {
    const chunkStart = this.pos;
    this.pos += chunk.length;
    if (this.long) {
      // Past the limit: drop bytes up to the line's end, then go on as usual.
      const lf = chunk.indexOf(LF);
      if (lf < 0) return;
      this.long = false;
      this.emit(this.utf8.decode(this.carried()), this.carryStart, chunkStart + lf);
      this.carryLen = 0;
      this.carryStart = chunkStart + lf + 1;
      chunk = chunk.subarray(lf + 1);
    }
    const lastLf = chunk.lastIndexOf(LF);
    if (lastLf < 0) {
      this.carryOn(chunk);
      return;
    }
    let piece = chunk.subarray(0, lastLf + 1);
    if (this.carryLen > 0) {
      this.append(piece);
      piece = this.carried();
    }
    const pieceStart = this.carryStart;
    if (piece.length <= MAX_LINE_BYTES) this.emitLines(piece, pieceStart);
    else {
      // Only a piece past the limit can hold an overlong line: its lines are cut one by one.
      let runStart = 0;
      for (let from = 0; ;) {
        const lf = piece.indexOf(LF, from);
        if (lf < 0) break;
        if (lf - from > MAX_LINE_BYTES) {
          if (from > runStart) this.emitLines(piece.subarray(runStart, from), pieceStart + runStart);
          this.overlongLines++;
          this.emit(
            this.utf8.decode(piece.subarray(from, from + MAX_LINE_BYTES)),
            pieceStart + from,
            pieceStart + lf,
          );
          runStart = lf + 1;
        }
        from = lf + 1;
      }
      if (piece.length > runStart) this.emitLines(piece.subarray(runStart), pieceStart + runStart);
    }
    this.carryStart = pieceStart + piece.length;
    this.carryLen = 0;
    this.carryOn(chunk.subarray(lastLf + 1));
  }

  private carried(): Uint8Array {
    return this.carryBuf.subarray(0, this.carryLen);
  }

  /** Bytes of an unfinished line: kept up to MAX_LINE_BYTES, dropped past it. */
  private carryOn(bytes: Uint8Array): void {
    if (this.carryLen + bytes.length <= MAX_LINE_BYTES) this.append(bytes);
    else {
      this.append(bytes.subarray(0, MAX_LINE_BYTES - this.carryLen));
      this.long = true;
      this.overlongLines++;
    }
  }

  private append(bytes: Uint8Array): void {
    const need = this.carryLen + bytes.length;
    if (need > this.carryBuf.length) {
      const grown = new Uint8Array(Math.max(need, this.carryBuf.length * 2, 256));
      grown.set(this.carried());
      this.carryBuf = grown;
    }
    this.carryBuf.set(bytes, this.carryLen);
    this.carryLen = need;
  }

  /**
   * Lines of a LF-terminated piece no line of which is past the limit: one decode for all. What
   * can be known of the piece as a whole is asked of it once: when it has no CR, LS or PS, a line
   * needs cleaning only at its ends (cleanQuick); when it lacks the marker, no line has it; when
   * it decoded to as many UTF-16 units as it has bytes, every byte is one unit, so byte offsets
   * are character offsets and the bytes need not be searched for LF too.
   */
  private emitLines(piece: Uint8Array, pieceStart: number): void {
    const text = this.utf8.decode(piece);
    // Three searches for one character each: much faster than one for a character class.
    const quick = text.indexOf("\r") < 0 && text.indexOf("\u2028") < 0 && text.indexOf("\u2029") < 0;
    const marker = this.marker;
    const marked = marker !== "" && text.includes(marker);
    const receiver = this.receiver;
    const sameOffsets = text.length === piece.length;
    let byteFrom = 0;
    let charFrom = 0;
    for (;;) {
      // LF is never inside a UTF-8 sequence nor swallowed by a replacement: the text has the
      // piece's line feeds, in order.
      const charLf = text.indexOf("\n", charFrom);
      if (charLf < 0) break;
      const byteLf = sameOffsets ? charLf : piece.indexOf(LF, byteFrom);
      const raw = text.slice(charFrom, charLf);
      const line = quick ? cleanQuick(raw) : cleanLine(raw);
      this.lineNumber++;
      receiver.take(
        line,
        this.lineNumber,
        pieceStart + byteFrom,
        pieceStart + byteLf,
        marked && line.includes(marker),
      );
      byteFrom = byteLf + 1;
      charFrom = charLf + 1;
    }
  }

  private pushUtf16(chunk: Uint8Array): void {
    this.pos += chunk.length;
    const text = this.utf16!.decode(chunk, { stream: true });
    let from = 0;
    let buffered = this.utf16Tail;
    for (;;) {
      const lf = text.indexOf("\n", from);
      if (lf < 0) break;
      let lineText = this.utf16Long ? buffered : buffered + text.slice(from, lf);
      if (this.utf16Long) this.utf16Long = false;
      else if (lineText.length > MAX_LINE_UNITS) {
        lineText = lineText.slice(0, MAX_LINE_UNITS);
        this.overlongLines++;
      }
      const endUnit = this.utf16Units + lf;
      this.emit(lineText, this.utf16TailStart, this.byteOfUnit(endUnit));
      buffered = "";
      this.utf16TailStart = this.byteOfUnit(endUnit + 1);
      from = lf + 1;
    }
    if (!this.utf16Long) {
      this.utf16Tail = buffered + text.slice(from);
      if (this.utf16Tail.length > MAX_LINE_UNITS) {
        this.utf16Tail = this.utf16Tail.slice(0, MAX_LINE_UNITS);
        this.utf16Long = true;
        this.overlongLines++;
      }
    }
    this.utf16Units += text.length;
  }

  private byteOfUnit(unit: number): number {
    return this.bomLength + unit * 2;
  }

  private emit(raw: string, byteStart: number, byteEnd: number): void {
    this.lineNumber++;
    const line = cleanLine(raw);
    this.receiver.take(
      line,
      this.lineNumber,
      byteStart,
      byteEnd,
      this.marker !== "" && line.includes(this.marker),
    );
  }
}

/** Line terminators of a regular expression's `.` (CR, LS, PS): inside a line they become spaces. */
const INNER_BREAKS = /[\r\u2028\u2029]/g;

/**
 * cleanLine for a line known to hold no CR, LS or PS: only a leading no-break space or BOM and a
 * trailing "^M" can need cleaning, and such a line is left to cleanLine.
 */
function cleanQuick(raw: string): string {
  const n = raw.length;
  const first = raw.charCodeAt(0);
  if (
    first === 0xa0 ||
    first === 0xfeff ||
    (n > 1 && raw.charCodeAt(n - 1) === 77 && raw.charCodeAt(n - 2) === 94)
  )
    return cleanLine(raw);
  return raw;
}

/**
 * CRLF, a stray CR, or the literal "^M" that copies of IM&P SIP Proxy logs carry; and a leading
 * no-break space or BOM, which logs pasted from web pages and mid-file BOMs put before a timestamp.
 * A CR, LS or PS left inside the line is a space to the parsers: `.` stops at them, so a pattern
 * such as `keyword:\s*(.*)$` would fail there and be retried from every later keyword (a line of
 * 40 000 "SASL mechanism:" and one U+2028 took 23 s); the raw lines shown are read from the bytes.
 */
export function cleanLine(raw: string): string {
  const first = raw.charCodeAt(0);
  if (first === 0xa0 || first === 0xfeff) raw = raw.replace(/^[\u00a0\ufeff]+/, "");
  let end = raw.length;
  for (;;) {
    if (end > 0 && raw.charCodeAt(end - 1) === 13) end--;
    else if (end > 1 && raw.charCodeAt(end - 1) === 77 && raw.charCodeAt(end - 2) === 94) end -= 2;
    else break;
  }
  const line = end === raw.length ? raw : raw.slice(0, end);
  // Searched for one character at a time: faster than testing the character class.
  return line.indexOf("\r") < 0 && line.indexOf("\u2028") < 0 && line.indexOf("\u2029") < 0
    ? line
    : line.replace(INNER_BREAKS, " ");
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
