import { guessEncoding, type TextEncoding } from "./encoding.ts";

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

const LF = 0x0a;

/**
 * Bytes in, lines out, whatever the slice boundaries. UTF-8 is decoded one line-aligned piece
 * at a time (a LF byte never occurs inside a multi-byte sequence), which is both faster than a
 * streaming decoder with string concatenation and exact about byte offsets. UTF-16 goes through
 * a streaming decoder; its byte offsets are two per code unit.
 */
export class LineSplitter {
  private encoding: TextEncoding | null = null;
  private bomLength = 0;
  private carry: Uint8Array = new Uint8Array(0);
  /** File offset of carry[0]. */
  private carryStart = 0;
  private lineNumber = 0;
  private utf16: TextDecoder | null = null;
  private utf16Tail = "";
  private utf16TailStart = 0;
  private utf16Units = 0;
  private readonly utf8 = new TextDecoder("utf-8");
  binary = false;

  constructor(private readonly sink: LineSink) {}

  get encodingName(): TextEncoding | null {
    return this.encoding;
  }

  get lines(): number {
    return this.lineNumber;
  }

  push(chunk: Uint8Array): void {
    if (this.binary) return;
    if (this.encoding === null) {
      // Wait for enough bytes to recognise a BOM or UTF-16 reliably.
      const head = concat(this.carry, chunk);
      if (head.length < 64) {
        this.carry = head;
        return;
      }
      this.start(head);
      return;
    }
    if (this.utf16) this.pushUtf16(chunk);
    else this.pushUtf8(chunk);
  }

  end(): void {
    if (this.encoding === null) {
      if (this.carry.length === 0) return;
      const head = this.carry;
      this.carry = new Uint8Array(0);
      this.start(head);
      if (this.binary) return;
    }
    if (this.utf16) {
      this.utf16Tail += this.utf16.decode();
      if (this.utf16Tail.length > 0)
        this.emit(this.utf16Tail, this.utf16TailStart, this.byteOfUnit(this.utf16Units));
      this.utf16Tail = "";
      return;
    }
    if (this.carry.length > 0) {
      this.emit(this.utf8.decode(this.carry), this.carryStart, this.carryStart + this.carry.length);
      this.carryStart += this.carry.length;
      this.carry = new Uint8Array(0);
    }
  }

  private start(head: Uint8Array): void {
    const guess = guessEncoding(head);
    this.encoding = guess.encoding;
    this.bomLength = guess.bomLength;
    this.binary = guess.binary;
    if (this.binary) return;
    const body = head.subarray(guess.bomLength);
    this.carry = new Uint8Array(0);
    this.carryStart = guess.bomLength;
    if (guess.encoding === "utf-8") {
      this.pushUtf8(body);
    } else {
      this.utf16 = new TextDecoder(guess.encoding);
      this.utf16TailStart = guess.bomLength;
      this.pushUtf16(body);
    }
  }

  private pushUtf8(chunk: Uint8Array): void {
    const lastLf = chunk.lastIndexOf(LF);
    if (lastLf < 0) {
      this.carry = concat(this.carry, chunk);
      return;
    }
    const piece = concat(this.carry, chunk.subarray(0, lastLf + 1));
    const pieceStart = this.carryStart;
    const text = this.utf8.decode(piece);
    let byteFrom = 0;
    let charFrom = 0;
    for (;;) {
      const byteLf = piece.indexOf(LF, byteFrom);
      if (byteLf < 0) break;
      const charLf = text.indexOf("\n", charFrom);
      this.emit(text.slice(charFrom, charLf), pieceStart + byteFrom, pieceStart + byteLf);
      byteFrom = byteLf + 1;
      charFrom = charLf + 1;
    }
    this.carryStart = pieceStart + piece.length;
    this.carry = chunk.slice(lastLf + 1);
  }

  private pushUtf16(chunk: Uint8Array): void {
    const text = this.utf16!.decode(chunk, { stream: true });
    let from = 0;
    let buffered = this.utf16Tail;
    for (;;) {
      const lf = text.indexOf("\n", from);
      if (lf < 0) break;
      const lineText = buffered + text.slice(from, lf);
      const endUnit = this.utf16Units + lf;
      this.emit(lineText, this.utf16TailStart, this.byteOfUnit(endUnit));
      buffered = "";
      this.utf16TailStart = this.byteOfUnit(endUnit + 1);
      from = lf + 1;
    }
    this.utf16Tail = buffered + text.slice(from);
    this.utf16Units += text.length;
  }

  private byteOfUnit(unit: number): number {
    return this.bomLength + unit * 2;
  }

  private emit(raw: string, byteStart: number, byteEnd: number): void {
    this.lineNumber++;
    this.sink({ text: cleanLine(raw), number: this.lineNumber, byteStart, byteEnd });
  }
}

/**
 * CRLF, a stray CR, or the literal "^M" that copies of IM&P SIP Proxy logs carry; and a leading
 * no-break space or BOM, which logs pasted from web pages and mid-file BOMs put before a timestamp.
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
  return end === raw.length ? raw : raw.slice(0, end);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
