import { readFileSync } from "node:fs";
import { gzipSync, zipSync } from "fflate";

/**
 * The hostile files of issue #8, built from the samples' real lines: the CLI tests and the e2e
 * tests drop the same set. Node only (reads the samples).
 */

const sample = (rel: string) =>
  new Uint8Array(readFileSync(new URL(`../../public/samples/${rel}`, import.meta.url)));

/** A real log: the MRA OAuth sample's Expressway-E log (seed 001). */
export const GOOD_NAME = "expressway-e.log";
export const good = (): Uint8Array => sample(`mra-oauth/${GOOD_NAME}`);
/** The MRA sample's Jabber log: re-encoded below. */
export const jabberText = (): string => new TextDecoder().decode(sample("mra-oauth/jabber.log"));

export function utf16(text: string, bigEndian: boolean): Uint8Array {
  const out = new Uint8Array(2 + text.length * 2);
  out[0] = bigEndian ? 0xfe : 0xff;
  out[1] = bigEndian ? 0xff : 0xfe;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[2 + i * 2 + (bigEndian ? 1 : 0)] = c & 0xff;
    out[2 + i * 2 + (bigEndian ? 0 : 1)] = c >> 8;
  }
  return out;
}

/** UTF-8 with Windows-1252 bytes in it (a name typed on a Windows box): é as the single byte 0xE9. */
export function mixedEncoding(): Uint8Array {
  const lines = jabberText().split("\n").slice(0, 40);
  const text = new TextEncoder().encode(lines.join("\n") + "\n");
  // After the first message separator " - ": the message text, not the header.
  let at = 0;
  while (!(text[at] === 0x20 && text[at + 1] === 0x2d && text[at + 2] === 0x20)) at++;
  at += 3;
  const out = new Uint8Array(text.length + 2);
  out.set(text.subarray(0, at));
  out.set([0xe9, 0x20], at);
  out.set(text.subarray(at), at + 2);
  return out;
}

/** A PNG header and random-looking bytes with NULs: a screenshot someone zipped with the logs. */
export function binary(): Uint8Array {
  const out = new Uint8Array(4096);
  out.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let x = 12345;
  for (let i = 8; i < out.length; i++) out[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  return out;
}

/** The good log gzipped, cut in the middle of its DEFLATE stream. */
export function truncatedGzip(): Uint8Array {
  const gz = gzipSync(good());
  return gz.subarray(0, Math.floor(gz.length / 2));
}

/** A zip of the sample's logs cut before its central directory. */
export function truncatedZip(): Uint8Array {
  const zip = zipSync({ [GOOD_NAME]: good(), "jabber.log": sample("mra-oauth/jabber.log") });
  return zip.subarray(0, Math.floor(zip.length * 0.6));
}

/** 64 MiB of zeros in a zip of about 64 KiB: refused from its declared sizes, nothing inflated. */
export function zipBomb(): Uint8Array {
  const zeros = new Uint8Array(64 * 1024 * 1024);
  const zip = zipSync({ "a.log": zeros }, { level: 9 });
  return zip;
}

/** The good log in a zip in a zip ... ten deep. */
export function nestedTenDeep(): Uint8Array {
  let bytes: Uint8Array = zipSync({ [GOOD_NAME]: good() });
  for (let level = 9; level >= 1; level--) bytes = zipSync({ [`level${level}.zip`]: bytes });
  return bytes;
}

/** Lines no source knows (a hex dump), to fill big files: read and counted at the splitter's speed. */
export function unknownLines(bytes: number): Uint8Array {
  const line = "0000fff0  41 42 43 44 45 46 47 48  49 4a 4b 4c 4d 4e 4f 50  |ABCDEFGHIJKLMNOP|\n";
  const text = line.repeat(Math.ceil(bytes / line.length)).slice(0, bytes);
  return new TextEncoder().encode(text);
}
