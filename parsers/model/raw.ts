import type { Model } from "./build.ts";
import type { FileInfo } from "./files.ts";
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

/**
 * Each message's records (the file and record of its evidence, each record once) and the files
 * they are in: all that reading raw lines back needs, kept apart from the model so that the
 * worker can let go of the model's objects (several per message) once its JSON is made.
 */
export class MessageEvidence {
  readonly files: readonly Pick<FileInfo, "name" | "encoding">[];
  /** Message i's pairs are pairs[2 * starts[i] ... 2 * starts[i + 1]): file, record. */
  private readonly starts: Int32Array;
  private readonly pairs: Int32Array;

  constructor(model: Model) {
    this.files = model.files;
    const n = model.messages.length;
    this.starts = new Int32Array(n + 1);
    let total = 0;
    for (const m of model.messages) total += m.evidence.length;
    const pairs = new Int32Array(2 * total);
    let at = 0;
    for (let i = 0; i < n; i++) {
      const first = at;
      for (const e of model.messages[i]!.evidence) {
        let seen = false;
        for (let k = first; k < at && !seen; k++) seen = pairs[2 * k + 1] === e.record;
        if (seen) continue;
        pairs[2 * at] = e.file;
        pairs[2 * at + 1] = e.record;
        at++;
      }
      this.starts[i + 1] = at;
    }
    this.pairs = pairs.slice(0, 2 * at);
  }

  get count(): number {
    return this.starts.length - 1;
  }

  /** The records behind a message, each once: [file, record]. */
  records(messageId: number): [number, number][] {
    const out: [number, number][] = [];
    if (!(messageId >= 0 && messageId < this.count)) return out;
    for (let k = this.starts[messageId]!; k < this.starts[messageId + 1]!; k++) {
      out.push([this.pairs[2 * k]!, this.pairs[2 * k + 1]!]);
    }
    return out;
  }
}

/**
 * The raw records behind messages, read back by each record's byte range: raw text is not
 * kept in the model. Callers bring the bytes (a Blob in the worker, a file on disk in the CLI).
 */
export function rawLinesOf(
  store: Store,
  evidence: MessageEvidence,
  ids: Iterable<number>,
  read: ByteReader,
): Record<number, RawLines[]> {
  const r = store.records;
  const decoders = new Map<number, TextDecoder>();
  const out: Record<number, RawLines[]> = {};
  for (const id of ids) {
    const lines: RawLines[] = [];
    for (const [file, record] of evidence.records(id)) {
      const info = evidence.files[file];
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
    if (id >= 0 && id < evidence.count) out[id] = lines;
  }
  return out;
}
