import { proxy, wrap, type Remote } from "comlink";
import { createParserWorker } from "./workerFactory.ts";
import type {
  BuildTimings,
  DroppedFile,
  MessageQuery,
  ModelSummary,
  ParserApi,
  Progress,
  QueryAnswer,
  RawLines,
} from "../parsers/workerApi.ts";
import type { FileOptions } from "../parsers/model/files.ts";
import type { ModelJson } from "../parsers/model/json.ts";
import { viewMessages } from "../parsers/model/wire.ts";
import type { ExportFormat } from "../parsers/share/export.ts";
import type { RedactionPreview } from "../parsers/share/preview.ts";
import type { RedactOptions } from "../parsers/share/redact.ts";
import type { SnapshotView } from "../parsers/share/snapshot.ts";

/**
 * The page's handle on the parsing worker. Every request is counted so that the idle hook
 * (`window.ucsnoop.whenIdle()`) resolves only once nothing is pending.
 *
 * The worker owns the model; it parses big files in a pool of its own workers and merges their
 * columns in drop order.
 */
export class ParserClient {
  private readonly api: Remote<ParserApi>;
  private pending = 0;
  private idleWaiters: (() => void)[] = [];

  constructor() {
    // `?workers=N` sets how many workers parse, the one that owns the model among them (the
    // benchmark compares one worker with two).
    const workers = new URLSearchParams(location.search).get("workers");
    const worker = createParserWorker(workers && /^[1-8]$/.test(workers) ? `workers=${workers}` : "parser");
    this.api = wrap<ParserApi>(worker);
  }

  private async track<T>(p: Promise<T>): Promise<T> {
    this.pending++;
    try {
      return await p;
    } finally {
      this.pending--;
      if (this.pending === 0) for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  /** Wraps work the page does around worker calls (fetching samples) so idle waits for it too. */
  hold<T>(p: Promise<T>): Promise<T> {
    return this.track(p);
  }

  whenIdle(): Promise<void> {
    return this.pending === 0 ? Promise.resolve() : new Promise((r) => this.idleWaiters.push(r));
  }

  addFiles(files: DroppedFile[], onProgress: (p: Progress) => void): Promise<ModelJson> {
    return this.track(this.api.addFiles(files, proxy(onProgress)));
  }

  replaceFiles(files: DroppedFile[], onProgress: (p: Progress) => void): Promise<ModelJson> {
    return this.track(this.api.replaceFiles(files, proxy(onProgress)));
  }

  cancel(): Promise<void> {
    // Not tracked: it must get through while a parse is pending, and it returns at once.
    return this.api.cancel();
  }

  reset(): Promise<void> {
    return this.track(this.api.reset());
  }

  setClockOffset(lane: string, offsetMs: number | null): Promise<ModelJson> {
    return this.track(this.api.setClockOffset(lane, offsetMs));
  }

  /** `onPartial` receives the model of the files read so far while a big drop is read. */
  addFilesSummary(
    files: DroppedFile[],
    onProgress: (p: Progress) => void,
    onPartial: (s: ModelSummary) => void,
  ): Promise<ModelSummary> {
    return this.track(this.api.addFilesSummary(files, proxy(onProgress), proxy(onPartial)));
  }

  replaceFilesSummary(
    files: DroppedFile[],
    onProgress: (p: Progress) => void,
    onPartial: (s: ModelSummary) => void,
  ): Promise<ModelSummary> {
    return this.track(this.api.replaceFilesSummary(files, proxy(onProgress), proxy(onPartial)));
  }

  removeFileSummary(index: number): Promise<ModelSummary> {
    return this.track(this.api.removeFileSummary(index));
  }

  setFileOptionsSummary(index: number, options: FileOptions): Promise<ModelSummary> {
    return this.track(this.api.setFileOptionsSummary(index, options));
  }

  setFileTimeSummary(
    index: number,
    time: { date?: string | null; zoneMinutes?: number | null },
  ): Promise<ModelSummary> {
    return this.track(this.api.setFileTimeSummary(index, time));
  }

  setClockOffsetSummary(lane: string, offsetMs: number | null): Promise<ModelSummary> {
    return this.track(this.api.setClockOffsetSummary(lane, offsetMs));
  }

  /** A window of the build `version`; null when the worker has built the model again since. */
  messageWindow(start: number, end: number, version: number): Promise<ModelJson["messages"] | null> {
    return this.track(this.api.messageWindow(start, end, version).then((w) => w && viewMessages(w)));
  }

  query(q: MessageQuery): Promise<QueryAnswer> {
    return this.track(this.api.query(q));
  }

  lastTimings(): Promise<BuildTimings | null> {
    return this.track(this.api.lastTimings());
  }

  model(): Promise<ModelJson> {
    return this.track(this.api.model());
  }

  raw(messageId: number): Promise<RawLines[]> {
    return this.track(this.api.raw(messageId));
  }

  sources(): Promise<{ id: string; label: string }[]> {
    return this.track(this.api.sources());
  }

  loadEncodedSnapshot(encoded: string): Promise<{
    summary: ModelSummary;
    view: SnapshotView;
    redacted: boolean;
    pseudonyms: boolean;
  }> {
    return this.track(this.api.loadEncodedSnapshot(encoded));
  }

  redactionPreview(): Promise<RedactionPreview> {
    return this.track(this.api.redactionPreview());
  }

  exportSnapshot(view: SnapshotView, options: RedactOptions): Promise<string> {
    return this.track(this.api.exportSnapshot(view, options));
  }

  exportText(format: ExportFormat, ids: number[] | null, options: RedactOptions): Promise<string> {
    return this.track(this.api.exportText(format, ids, options));
  }
}
