/** Text encodings a log file may arrive in. Sources never see bytes: this layer decides. */
export type TextEncoding = "utf-8" | "utf-16le" | "utf-16be";

/** Bytes guessEncoding looks at: a caller that waits for this many gets the same guess however it slices. */
export const GUESS_BYTES = 8192;

export interface EncodingGuess {
  encoding: TextEncoding;
  /** Bytes of byte-order mark to skip. */
  bomLength: number;
  /** True when the head looks like a binary file rather than text in any of our encodings. */
  binary: boolean;
}

/**
 * Decide the encoding from the first bytes. A BOM wins; without one, UTF-16 is recognised by
 * the zero bytes every other position that ASCII text in UTF-16 has (Windows tools write such
 * logs without a BOM more often than one would hope).
 */
export function guessEncoding(head: Uint8Array): EncodingGuess {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return utf8(3, head);
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: "utf-16le", bomLength: 2, binary: false };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: "utf-16be", bomLength: 2, binary: false };
  const n = Math.min(head.length, 4096);
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < n; i++) {
    if (head[i] === 0) {
      if (i % 2 === 0) zeroEven++;
      else zeroOdd++;
    }
  }
  const half = n / 2;
  if (n >= 8 && zeroOdd > half * 0.6 && zeroEven < half * 0.05)
    return { encoding: "utf-16le", bomLength: 0, binary: false };
  if (n >= 8 && zeroEven > half * 0.6 && zeroOdd < half * 0.05)
    return { encoding: "utf-16be", bomLength: 0, binary: false };
  return utf8(0, head);
}

function utf8(bomLength: number, head: Uint8Array): EncodingGuess {
  return { encoding: "utf-8", bomLength, binary: looksBinary(head, bomLength) };
}

/** Text logs have no NUL bytes and few control characters other than tab, CR, LF, FF and ESC. */
function looksBinary(head: Uint8Array, from: number): boolean {
  const n = Math.min(head.length, GUESS_BYTES);
  if (n - from <= 0) return false;
  let control = 0;
  for (let i = from; i < n; i++) {
    const c = head[i]!;
    if (c === 0) return true;
    if (c < 9 || (c > 13 && c < 27) || (c > 27 && c < 32)) control++;
  }
  return control / (n - from) > 0.1;
}
