import { readFileSync } from "node:fs";
import { expect } from "vitest";
import { HEAD_BYTES } from "../model/ingest.ts";
import { ingestBytes } from "../model/parseBytes.ts";
import { Store } from "../model/store.ts";
import type { EventView } from "../model/eventTable.ts";
import type { FileInfo, FileOptions } from "../model/files.ts";

/** Test-only helpers shared by the source tests (Node: may read files). */

export const CHUNK_SIZES = [1, 7, 4096, 1 << 20];

/**
 * The bytes repeated (a newline between copies) until past twice the detection head: below
 * HEAD_BYTES the ingest waits for the whole head, so slicing a small sample tests nothing.
 */
export function pastHead(bytes: Uint8Array): Uint8Array {
  if (bytes.length === 0) return bytes;
  const copy = bytes[bytes.length - 1] === 0x0a ? bytes : new Uint8Array([...bytes, 0x0a]);
  const times = Math.ceil((2 * HEAD_BYTES + 1) / copy.length);
  const out = new Uint8Array(copy.length * times);
  for (let i = 0; i < times; i++) out.set(copy, i * copy.length);
  return out;
}

export function samplePath(rel: string): string {
  return new URL(`../../public/samples/${rel}`, import.meta.url).pathname;
}

export function readSample(rel: string): Uint8Array {
  return new Uint8Array(readFileSync(samplePath(rel)));
}

export interface ParsedText {
  store: Store;
  info: FileInfo;
  events: EventView[];
}

export function parse(
  bytes: Uint8Array | string,
  name = "log.txt",
  options: FileOptions = {},
  chunkSize = 1 << 20,
): ParsedText {
  const data = typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes;
  const store = new Store();
  const info = ingestBytes(store, name, data, options, chunkSize);
  const events: EventView[] = [];
  for (let i = 0; i < store.events.length; i++) events.push(store.events.get(i));
  return { store, info, events };
}

/** A compact, comparable picture of what a file parsed into: for golden and chunk-size tests. */
export function digest(p: ParsedText): unknown {
  const r = p.store.records;
  const records = [];
  for (let i = 0; i < r.length; i++)
    records.push([
      r.firstLine.get(i),
      r.lineCount.get(i),
      r.byteStart.get(i),
      r.byteEnd.get(i),
      r.rawTime.get(i),
      r.kindOf(i),
    ]);
  const { index: _i, ...info } = p.info;
  return { info, records, events: p.events };
}

/** One line per event: "line dir peer kind label [status]": easy to read in a golden test. */
export function eventLines(p: ParsedText): string[] {
  return p.events.map((e) => {
    const line = p.store.records.firstLine.get(e.record) + (e.lineOffset ?? 0);
    const arrow = e.dir === "send" ? `-> ${e.peer}` : e.dir === "recv" ? `<- ${e.peer}` : "local";
    return `${line} ${arrow} ${e.kind} ${e.label}${e.status ? ` [${e.status}]` : ""}`;
  });
}

/** A sample, repeated past the detection head, gives the 1 MiB digest at every chunk size. */
export function expectSameDigestAtEveryChunkSize(rel: string, name = "log.txt"): void {
  const bytes = pastHead(readSample(rel));
  const expected = digest(parse(bytes, name, {}, 1 << 20));
  for (const size of CHUNK_SIZES)
    expect(digest(parse(bytes, name, {}, size)), `${rel} @${size}`).toEqual(expected);
}

/** A sample with CRLF line ends is still detected as `source` and gives the same events. */
export function expectCrlfParsesTheSame(rel: string, source: string): void {
  const lf = parse(readSample(rel), "log.txt");
  const crlf = parse(new TextDecoder().decode(readSample(rel)).replace(/\n/g, "\r\n"), "log.txt");
  expect(crlf.info.source, rel).toBe(source);
  expect(crlf.events, rel).toEqual(lf.events);
  expect(eventLines(crlf), rel).toEqual(eventLines(lf));
}
