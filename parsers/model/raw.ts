import type { Model } from "./build.ts";
import type { Store } from "./store.ts";

/** The raw lines of one record, as the details pane shows them. */
export interface RawLines {
  file: string;
  line: number;
  lines: string[];
}

/**
 * A record's bytes shown at most: a record is cut at 4 Mi characters when parsed, but its byte
 * range can span a line of any length (cut at MAX_LINE_BYTES when parsed), so reading it back is
 * capped too.
 */
export const MAX_RAW_BYTES = 4 * 1024 * 1024;

/** The byte range of a record to read back: [start, end), and how many bytes are left out. */
export function rawRange(store: Store, record: number): { start: number; end: number; omitted: number } {
  const start = store.records.byteStart.get(record);
  const full = store.records.byteEnd.get(record);
  const end = Math.min(full, start + MAX_RAW_BYTES);
  return { start, end, omitted: full - end };
}

/** Reads bytes [start, end) of a file; null when the file cannot be read. */
export type ByteReader = (file: number, start: number, end: number) => Uint8Array | null;

/** The records behind a message, each once: [file, record]. */
export function evidenceRecords(model: Model, messageId: number): [number, number][] {
  const m = model.messages[messageId];
  if (!m) return [];
  const seen = new Set<number>();
  const out: [number, number][] = [];
  for (const e of m.evidence) {
    if (seen.has(e.record)) continue;
    seen.add(e.record);
    out.push([e.file, e.record]);
  }
  return out;
}

/**
 * The raw records behind messages, read back by each record's byte range: raw text is not
 * kept in the model. Callers bring the bytes (a Blob in the worker, a file on disk in the CLI).
 */
export function rawLinesOf(
  store: Store,
  model: Model,
  ids: Iterable<number>,
  read: ByteReader,
): Record<number, RawLines[]> {
  const r = store.records;
  const decoders = new Map<number, TextDecoder>();
  const out: Record<number, RawLines[]> = {};
  for (const id of ids) {
    const lines: RawLines[] = [];
    for (const [file, record] of evidenceRecords(model, id)) {
      const info = model.files[file];
      const range = rawRange(store, record);
      const bytes = info ? read(file, range.start, range.end) : null;
      if (!info || !bytes) continue;
      let decoder = decoders.get(file);
      if (!decoder) decoders.set(file, (decoder = new TextDecoder(info.encoding ?? "utf-8")));
      lines.push({
        file: info.name,
        line: r.firstLine.get(record),
        lines: decoder.decode(bytes).split(/\r?\n/),
      });
      if (range.omitted > 0) lines[lines.length - 1]!.lines.push(`[… ${range.omitted} more bytes not shown]`);
    }
    if (model.messages[id]) out[id] = lines;
  }
  return out;
}
